/**
 * Names across the three vocabularies a value passes through: the node
 * description (`classNames`), the command line (`--class-names`, or the
 * spec's own `option` name: `--input` for `images`) and the Galaxy form
 * (`class_names`, implied by `argument="--class-names"`, else given as `name`).
 */
import { kebab, optionName } from '@fairio/model-runner/nodes';

export { kebab };

/** The Galaxy parameter name: what Galaxy derives from `argument="--kebab-name"`. */
export const galaxyName = (name: string): string => kebab(name).replace(/-/g, '_');

/** The command-line flag of a parameter or non-positional data input named `name`. */
export const flag = (name: string): string => `--${kebab(name)}`;

/** The command-line flag of a spec, honouring its own `option` name (the form keeps the description's name). */
export const optionFlag = (spec: { name: string; option?: string }): string => `--${optionName(spec)}`;

/** `argument=` for a form field, plus `name=` when the flag would imply another name than the description's. */
export function formNaming(spec: { name: string; option?: string }): { name?: string; argument: string } {
  const argument = optionFlag(spec);
  return galaxyName(spec.name) === galaxyName(optionName(spec)) ? { argument } : { name: galaxyName(spec.name), argument };
}
