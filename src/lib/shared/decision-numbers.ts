/**
 * The numbers of a decision (一事一号, domain.md §2.2): an approved measure gets its resolution number
 * (JY-05, across the conference) and its ledger number (ZG-JT-003, per sector series) once, at
 * approval. They are stored and never change or return: a withdrawn item keeps its numbers reserved,
 * so the minutes, the resolution list, the ledger and every export printed before stay matched.
 */

/** The stored numbers of an approved (or withdrawn) measure. */
export interface DecisionNumbers {
	/** n of JY-n, unique in the conference. */
	resolution: number;
	/** The ledger series: the sector's code (JT, SL, NY, SZ; QT for every other sector). */
	ledgerSeries: string;
	/** n of ZG-<series>-n, unique in the conference's series. */
	ledger: number;
}

const sectorCodes: Record<string, string> = { 交通: 'JT', 水利: 'SL', 能源: 'NY', 市政: 'SZ' };

/** The ledger series of a breakout's sector; sectors without a code of their own share QT. */
export const sectorCode = (sector: string) => sectorCodes[sector] ?? 'QT';

/** JY-01 … JY-99, JY-100 …. */
export const resolutionNumber = (n: number) => `JY-${String(n).padStart(2, '0')}`;

/** ZG-JT-001 …. */
export const ledgerNumber = (series: string, n: number) => `ZG-${series}-${String(n).padStart(3, '0')}`;
