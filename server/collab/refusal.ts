/** Something a client sent that closes its connection, with the close code that says why. */
export class Refusal extends Error {
	constructor(
		readonly code: number,
		reason: string
	) {
		super(reason);
	}
}
