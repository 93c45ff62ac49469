/** The analysis kinds the viewer's Analyse panel offers (a kind only implements prepare/run; see runner.ts). */
import { bioimageioKind } from './bioimageio-kind.js';
import { classifierKind } from './classifier-kind.js';
import type { AnalysisKind } from './runner.js';

export const ANALYSIS_KINDS: AnalysisKind[] = [bioimageioKind, classifierKind];
