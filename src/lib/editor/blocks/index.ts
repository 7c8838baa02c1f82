/**
 * The structured blocks of analyses (problem, fishbone groups, causes, 5-why chains) and plans
 * (measures with their fields), the minutes items, and stable block ids: one file per node, the
 * shared node view (block-view), and the plugins for ids and marks. The server writes their
 * templates and stamps their authors; the browser edits them.
 */
import { BlockIds } from './block-ids';
import { Cause } from './cause';
import { CauseGroup } from './cause-group';
import type { BlockContext } from './context';
import { Measure } from './measure';
import { MinutesItem, keepMinutesItems, minutesChangesPlugin } from './minutes-item';
import { Problem } from './problem';
import { Why, WhyChain } from './why-chain';

export type { BlockContext } from './context';
export { type MinutesChange, minutesChangesKey } from './minutes-item';
export { type ProposalMark, proposalMarksKey } from './proposal-marks';
export { BlockIds, Cause, CauseGroup, Measure, MinutesItem, Problem, Why, WhyChain };

/** The block nodes and ids, with what the page knows about the conference. */
export const blockExtensions = (context: BlockContext) => [
	BlockIds.configure({ context }),
	Problem,
	CauseGroup,
	Cause,
	WhyChain,
	Why,
	Measure,
	MinutesItem.extend({ addProseMirrorPlugins: () => [minutesChangesPlugin(context), keepMinutesItems()] })
];
