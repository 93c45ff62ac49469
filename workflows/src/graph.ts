/**
 * The workflow as a graph: which steps each step waits for, an order that
 * respects it, the cycles that make such an order impossible, and a layout
 * (column = depth) for Galaxy's editor when a file gives no positions.
 */
import { isTool, type Position, type Workflow } from './model.js';

/** Labels of the steps each step reads from (known steps only). */
export function dependencies(workflow: Workflow): Map<string, Set<string>> {
  const labels = new Set(workflow.steps.map((s) => s.label));
  const deps = new Map<string, Set<string>>();
  for (const step of workflow.steps) {
    const from = new Set<string>();
    if (isTool(step)) for (const sources of Object.values(step.in)) for (const s of sources) if (labels.has(s.step)) from.add(s.step);
    deps.set(step.label, from);
  }
  return deps;
}

/** Steps that read from each step. */
export function dependants(workflow: Workflow): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>(workflow.steps.map((s) => [s.label, new Set<string>()]));
  for (const [step, from] of dependencies(workflow)) for (const f of from) out.get(f)!.add(step);
  return out;
}

/** Everything downstream of `label` (not including it). */
export function downstream(workflow: Workflow, label: string): Set<string> {
  const next = dependants(workflow);
  const seen = new Set<string>();
  const visit = (l: string) => {
    for (const d of next.get(l) ?? []) {
      if (!seen.has(d)) {
        seen.add(d);
        visit(d);
      }
    }
  };
  visit(label);
  return seen;
}

/**
 * Steps in an order where every step comes after those it reads from (file
 * order among independent steps), plus the cycles, each as the labels along
 * it in the direction data flows.
 */
export function topologicalOrder(workflow: Workflow): { order: string[]; cycles: string[][] } {
  const deps = dependencies(workflow);
  const remaining = new Map([...deps].map(([k, v]) => [k, new Set(v)]));
  const order: string[] = [];
  let progress = true;
  while (progress) {
    progress = false;
    for (const step of workflow.steps) {
      const waiting = remaining.get(step.label);
      if (waiting && waiting.size === 0) {
        order.push(step.label);
        remaining.delete(step.label);
        for (const w of remaining.values()) w.delete(step.label);
        progress = true;
      }
    }
  }
  // What is left lies on a cycle or behind one; walk from each leftover to find the cycles themselves.
  const cycles: string[][] = [];
  const onCycle = new Set<string>();
  for (const start of remaining.keys()) {
    if (onCycle.has(start)) continue;
    const pathSteps: string[] = [];
    const index = new Map<string, number>();
    let current: string | undefined = start;
    while (current !== undefined && !index.has(current) && !onCycle.has(current)) {
      index.set(current, pathSteps.length);
      pathSteps.push(current);
      current = [...(remaining.get(current) ?? [])][0];
    }
    if (current !== undefined && index.has(current)) {
      // The walk followed "waits for"; data flows the other way round.
      const found = pathSteps.slice(index.get(current)!);
      const cycle = [found[0], ...found.slice(1).reverse()];
      cycle.forEach((c) => onCycle.add(c));
      cycles.push(cycle);
    }
  }
  return { order, cycles };
}

/** Editor positions: one column per depth, steps stacked in file order. */
export function autoLayout(workflow: Workflow): Map<string, Position> {
  const deps = dependencies(workflow);
  const depth = new Map<string, number>();
  const depthOf = (label: string, trail: Set<string>): number => {
    if (depth.has(label)) return depth.get(label)!;
    if (trail.has(label)) return 0; // a cycle: lint reports it, the layout just needs to end
    trail.add(label);
    const d = Math.max(-1, ...[...(deps.get(label) ?? [])].map((l) => depthOf(l, trail))) + 1;
    trail.delete(label);
    depth.set(label, d);
    return d;
  };
  const rows = new Map<number, number>();
  const positions = new Map<string, Position>();
  for (const step of workflow.steps) {
    const column = depthOf(step.label, new Set());
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    positions.set(step.label, { left: 20 + 260 * column, top: 20 + 160 * row });
  }
  return positions;
}
