/**
 * Names across the three vocabularies a value passes through: the node
 * description (`classNames`), the command line (`--class-names`) and the
 * Galaxy form (`class_names`, implied by `argument="--class-names"`).
 */

/** `classNames` / `class_names` → `class-names`, the command line's spelling (as cli/src/node-command.ts spells it). */
export const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/_/g, '-');

/** The Galaxy parameter name: what Galaxy derives from `argument="--kebab-name"`. */
export const galaxyName = (name: string): string => kebab(name).replace(/-/g, '_');

/** The command-line flag of a parameter or non-positional data input. */
export const flag = (name: string): string => `--${kebab(name)}`;
