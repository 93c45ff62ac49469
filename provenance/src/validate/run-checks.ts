/**
 * Workflow Run Crate profile checks (0.5): Process Run Crate actions,
 * Workflow Run Crate workflows and formal parameters, Provenance Run Crate
 * steps, tools, control and organize actions; and Workflow RO-Crate 1.0's
 * main workflow.
 */
import * as fs from 'node:fs';
import { hasType, idsOf, type Entity } from '../builder.js';
import type { Crate } from '../reader.js';
import { PROFILES } from '../vocabulary.js';
import type { CrateCheck } from './types.js';

const RUN_ACTIONS = ['CreateAction', 'ActivateAction', 'UpdateAction'];
const TOOLS = ['SoftwareApplication', 'SoftwareSourceCode', 'ComputationalWorkflow'];
const DATA = ['File', 'Dataset', 'Collection', 'PropertyValue', 'CreativeWork'];
const TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{3})?\+\d{2}:\d{2})?$/;

const isA = (e: Entity | undefined, types: string[]) => Boolean(e && types.some((t) => hasType(e, t)));
const actions = (crate: Crate) => crate.entities.filter((e) => isA(e, RUN_ACTIONS));
const workflows = (crate: Crate) => crate.ofType('ComputationalWorkflow');

function conforms(code: string, profile: keyof typeof PROFILES): CrateCheck {
  const p = PROFILES[profile];
  return {
    code,
    profile,
    description: `The root conforms to ${p.name} ${p.version} (${p.id})`,
    run(crate, report) {
      const ids = idsOf(crate.root.conformsTo);
      const prefix = p.id.replace(/[^/]+$/, '');
      if (!ids.some((id) => id.startsWith(prefix))) report('error', `the root does not declare conformsTo ${p.id}`, crate.rootId);
      else for (const id of ids.filter((i) => i.startsWith(prefix))) if (!hasType(crate.get(id), 'CreativeWork')) report('error', `profile ${id} must be described as a CreativeWork entity`, id);
    },
  };
}

/** Every referenced entity exists and has one of the types. */
function pointsTo(crate: Crate, e: Entity, property: string, types: string[], report: (s: 'error' | 'warning', m: string, id?: string) => void, required: boolean, what: string): void {
  const ids = idsOf(e[property]);
  if (required && !ids.length) report('error', `${e['@id']} has no ${property} (${what})`, e['@id']);
  for (const id of ids) if (!isA(crate.get(id), types)) report('error', `${e['@id']} ${property} ${id} is not a ${types.join(' or ')} (${what})`, e['@id']);
}

export const processChecks: CrateCheck[] = [
  conforms('PROCESS_CONFORMS', 'process'),
  {
    code: 'ACTION_INSTRUMENT',
    profile: 'process',
    description: 'Each CreateAction, ActivateAction or UpdateAction has an instrument that is software or a workflow',
    run(crate, report) {
      for (const a of actions(crate)) pointsTo(crate, a, 'instrument', TOOLS, report, true, 'the tool that ran');
    },
  },
  {
    code: 'ACTION_RECORD',
    profile: 'process',
    description: 'Actions have name, endTime (ISO 8601 with offset), an agent, a known actionStatus, error only on failure, and data or PropertyValues as object and result',
    run(crate, report) {
      for (const a of actions(crate)) {
        const id = a['@id'];
        if (!a.name) report('warning', `${id} has no name`, id);
        if (!a.endTime || !TIME.test(String(a.endTime))) report('warning', `${id} has no endTime in ISO 8601 with offset`, id);
        if (a.startTime !== undefined && !TIME.test(String(a.startTime))) report('warning', `${id} startTime is not ISO 8601 with offset`, id);
        if (!idsOf(a.agent).length) report('warning', `${id} has no agent (Person or Organization)`, id);
        const status = String(a.actionStatus ?? '');
        if (a.actionStatus !== undefined && !status.endsWith('CompletedActionStatus') && !status.endsWith('FailedActionStatus')) report('warning', `${id} actionStatus ${status} is neither completed nor failed`, id);
        if (a.error !== undefined && !status.endsWith('FailedActionStatus')) report('warning', `${id} has an error but did not fail`, id);
        if (!status.endsWith('FailedActionStatus') && hasType(a, 'CreateAction') && !idsOf(a.result).length) report('warning', `${id} has no result`, id);
        for (const p of ['object', 'result']) for (const t of idsOf(a[p])) if (crate.get(t) && !isA(crate.get(t), DATA)) report('warning', `${id} ${p} ${t} is not data or a PropertyValue`, id);
        if (!idsOf(crate.root.mentions).includes(id)) report('warning', `${id} is not mentioned from the root`, id);
      }
    },
  },
];

export const workflowChecks: CrateCheck[] = [
  conforms('WORKFLOW_CONFORMS', 'workflow'),
  {
    code: 'WORKFLOW_RUN_ACTION',
    profile: 'workflow',
    description: "An action has the root's mainEntity (the workflow) as instrument",
    run(crate, report) {
      const main = idsOf(crate.root.mainEntity)[0];
      if (!main) return report('error', 'the root has no mainEntity (the workflow that ran)', crate.rootId);
      if (!actions(crate).some((a) => idsOf(a.instrument).includes(main))) report('error', `no CreateAction has the main workflow ${main} as instrument`, main);
    },
  },
  {
    code: 'WORKFLOW_PARAMETERS',
    profile: 'workflow',
    description: 'Workflow inputs and outputs are FormalParameters',
    run(crate, report) {
      for (const w of workflows(crate)) for (const p of ['input', 'output']) pointsTo(crate, w, p, ['FormalParameter'], report, false, 'workflow parameters');
    },
  },
  {
    code: 'FORMAL_PARAMETER',
    profile: 'workflow',
    description: 'FormalParameters have additionalType and name; workExample points to data or a PropertyValue',
    run(crate, report) {
      for (const f of crate.ofType('FormalParameter')) {
        if (f.additionalType === undefined) report('error', `${f['@id']} has no additionalType`, f['@id']);
        if (!f.name) report('warning', `${f['@id']} has no name`, f['@id']);
        for (const t of idsOf(f.workExample)) if (!isA(crate.get(t), DATA)) report('error', `${f['@id']} workExample ${t} is not data or a PropertyValue`, f['@id']);
        if (!crate.entities.some((e) => idsOf(e.exampleOfWork).includes(f['@id']))) report('warning', `no data entity or PropertyValue is an exampleOfWork of ${f['@id']}`, f['@id']);
      }
    },
  },
];

export const provenanceChecks: CrateCheck[] = [
  conforms('PROVENANCE_CONFORMS', 'provenance'),
  {
    code: 'WORKFLOW_TOOLS',
    profile: 'provenance',
    description: 'Workflows list their tools via hasPart; a workflow with steps is also a HowTo',
    run(crate, report) {
      for (const w of workflows(crate)) {
        pointsTo(crate, w, 'hasPart', TOOLS, report, true, 'the tools the workflow orchestrates');
        if (idsOf(w.step).length && !hasType(w, 'HowTo')) report('error', `${w['@id']} has steps but is not a HowTo`, w['@id']);
        for (const c of idsOf(w.connection)) if (!hasType(crate.get(c), 'ParameterConnection')) report('error', `${w['@id']} connection ${c} is not a ParameterConnection`, w['@id']);
        if (!idsOf(w.step).length) report('warning', `${w['@id']} has no steps`, w['@id']);
      }
    },
  },
  {
    code: 'TOOL_RUNS',
    profile: 'provenance',
    description: "Each of a workflow's tools has FormalParameter inputs/outputs and is the instrument of an action",
    run(crate, report) {
      const tools = new Set(workflows(crate).flatMap((w) => idsOf(w.hasPart)));
      for (const id of tools) {
        const tool = crate.get(id);
        if (!tool || !isA(tool, TOOLS)) continue;
        for (const p of ['input', 'output']) pointsTo(crate, tool, p, ['FormalParameter'], report, false, 'tool parameters');
        if (!actions(crate).some((a) => idsOf(a.instrument).includes(id))) report('error', `tool ${id} is not the instrument of any action`, id);
      }
    },
  },
  {
    code: 'HOWTO_STEP',
    profile: 'provenance',
    description: 'Each HowToStep belongs to a workflow, names its tool via workExample, and has an integer position',
    run(crate, report) {
      for (const s of crate.ofType('HowToStep')) {
        if (!workflows(crate).some((w) => idsOf(w.step).includes(s['@id']))) report('error', `${s['@id']} is not a step of any workflow`, s['@id']);
        pointsTo(crate, s, 'workExample', TOOLS, report, true, 'the tool this step runs');
        if (s.position !== undefined && !/^\d+$/.test(String(s.position))) report('error', `${s['@id']} position "${String(s.position)}" is not an integer`, s['@id']);
      }
    },
  },
  {
    code: 'CONTROL_ACTION',
    profile: 'provenance',
    description: 'Each ControlAction has a HowToStep as instrument and the tool run as object',
    run(crate, report) {
      for (const c of crate.ofType('ControlAction')) {
        pointsTo(crate, c, 'instrument', ['HowToStep'], report, true, 'the step');
        pointsTo(crate, c, 'object', RUN_ACTIONS, report, true, 'the tool run');
      }
    },
  },
  {
    code: 'ORGANIZE_ACTION',
    profile: 'provenance',
    description: 'The OrganizeAction has the engine as instrument, the workflow run as result and the ControlActions as object',
    run(crate, report) {
      for (const o of crate.ofType('OrganizeAction')) {
        pointsTo(crate, o, 'instrument', TOOLS, report, true, 'the workflow engine');
        pointsTo(crate, o, 'result', RUN_ACTIONS, report, true, 'the workflow run');
        pointsTo(crate, o, 'object', ['ControlAction'], report, true, 'the step runs');
      }
      if (!crate.ofType('OrganizeAction').length) report('warning', 'no OrganizeAction records the workflow engine');
    },
  },
  {
    code: 'PARAMETER_CONNECTION',
    profile: 'provenance',
    description: 'ParameterConnections link a source and a target FormalParameter',
    run(crate, report) {
      for (const c of crate.ofType('ParameterConnection')) {
        pointsTo(crate, c, 'sourceParameter', ['FormalParameter'], report, true, 'where the value comes from');
        pointsTo(crate, c, 'targetParameter', ['FormalParameter'], report, true, 'where the value goes');
      }
    },
  },
];

export const workflowRoCrateChecks: CrateCheck[] = [
  {
    code: 'MAIN_WORKFLOW',
    profile: 'workflow-ro-crate',
    description: 'The root mainEntity is a File, SoftwareSourceCode and ComputationalWorkflow in the crate, with a programmingLanguage',
    run(crate, report) {
      const id = idsOf(crate.root.mainEntity)[0];
      const main = id ? crate.get(id) : undefined;
      if (!main) return report('error', 'the root has no mainEntity (the main workflow)', crate.rootId);
      for (const t of ['File', 'SoftwareSourceCode', 'ComputationalWorkflow']) if (!hasType(main, t)) report('error', `main workflow ${id} is not a ${t}`, id);
      pointsTo(crate, main, 'programmingLanguage', ['ComputerLanguage'], report, true, 'the workflow language');
      const present = crate.kind === 'folder' ? fs.existsSync(crate.resolvePath(id)) : (crate.zipEntries ?? []).includes(decodeURIComponent(id));
      if (!present) report('error', `main workflow ${id} is not in the crate`, id);
    },
  },
  {
    code: 'WORKFLOW_CRATE_EXTRAS',
    profile: 'workflow-ro-crate',
    description: 'The descriptor conforms to Workflow RO-Crate; README.md is about the crate',
    run(crate, report) {
      if (!idsOf(crate.get('ro-crate-metadata.json')?.conformsTo).includes(PROFILES['workflow-ro-crate'].id)) report('warning', `the metadata descriptor should also conform to ${PROFILES['workflow-ro-crate'].id}`);
      const readme = crate.get('README.md');
      if (!readme) report('warning', 'the crate has no README.md');
      else if (!idsOf(readme.about).includes(crate.rootId)) report('warning', 'README.md should be about the crate');
    },
  },
];
