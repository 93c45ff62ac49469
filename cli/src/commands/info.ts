/** `fairio info PATH|URL`: what an OME-Zarr holds, for people or as JSON. */
import type { Command } from 'commander';
// Only the summary's part of ngff (opening and metadata), not the writers, converters and validators of its main entry.
import type { ImageSummary, OmeZarrSummary } from '@fairio/ngff/summary';
import { emit, type CommonOptions } from '../output.js';

function describeImage(image: ImageSummary, indent: string): string[] {
  const lines: string[] = [];
  const unitOf = (i: number) => image.axes[i].unit ?? '';
  lines.push(`${indent}image ${image.path || '/'}${image.name ? ` "${image.name}"` : ''}${image.imageLabel ? ' (label image)' : ''}`);
  lines.push(`${indent}  axes: ${image.axes.map((a) => `${a.name}${a.type ? ` (${a.type}${a.unit ? `, ${a.unit}` : ''})` : ''}`).join(', ')}`);
  const level0 = image.levels[0];
  const pixelSize = image.axes
    .map((a, i) => (a.type === 'space' || a.type === 'time' ? `${a.name}=${level0.scale[i]}${unitOf(i) ? ` ${unitOf(i)}` : ''}` : undefined))
    .filter(Boolean);
  if (pixelSize.length) lines.push(`${indent}  pixel size: ${pixelSize.join(', ')}`);
  lines.push(`${indent}  levels:`);
  for (const [i, l] of image.levels.entries()) {
    lines.push(`${indent}    ${i}  ${l.path.padEnd(4)} shape [${l.shape.join(', ')}]  ${l.dtype}  chunks [${l.chunks.join(', ')}]  scale [${l.scale.map((s) => +s.toPrecision(6)).join(', ')}]`);
  }
  if (image.channels?.length) {
    lines.push(`${indent}  channels:`);
    image.channels.forEach((c, i) =>
      lines.push(`${indent}    ${i}  ${c.label ?? '(unnamed)'}${c.color ? `  #${c.color}` : ''}${c.window ? `  window ${c.window.start}–${c.window.end}` : ''}`),
    );
  }
  for (const label of image.labels ?? []) lines.push(...describeImage(label, `${indent}  `));
  return lines;
}

export function describe(summary: OmeZarrSummary): string {
  const lines = [`${summary.location}: OME-NGFF ${summary.ngffVersion ?? '?'} (Zarr v${summary.zarrFormat}), ${summary.kind}`];
  if (summary.image) lines.push(...describeImage(summary.image, '  '));
  for (const s of summary.series ?? []) lines.push(...describeImage(s, '  '));
  if (summary.plate) {
    const p = summary.plate;
    lines.push(`  plate${p.name ? ` "${p.name}"` : ''}: ${p.rows.length} rows × ${p.columns.length} columns, ${p.wells.length} wells, ${p.fieldsPerWell ?? '?'} fields per well`);
    if (p.firstField) lines.push(...describeImage(p.firstField, '  '));
  }
  if (summary.well) {
    lines.push(`  well: ${summary.well.fields.length} fields (${summary.well.fields.join(', ')})`);
    if (summary.well.firstField) lines.push(...describeImage(summary.well.firstField, '  '));
  }
  if (summary.labelNames) lines.push(`  labels: ${summary.labelNames.join(', ') || '(none)'}`);
  return lines.join('\n');
}

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('describe an OME-Zarr: hierarchy, levels, shapes, dtypes, chunks, physical sizes, channels')
    .argument('<location>', 'OME-Zarr folder, .zip, or http(s) URL')
    .option('--json', 'print a JSON document instead of text')
    .option('-q, --quiet', 'no progress output')
    .action(async (location: string, options: CommonOptions) => {
      const { summarise } = await import('@fairio/ngff/summary');
      emit(await summarise(location), options, describe);
    });
}
