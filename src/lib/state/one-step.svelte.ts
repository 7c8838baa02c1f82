import { errorText } from '$lib/i18n/error-text';

/**
 * A form's step on its way to the server, one at a time: a second submit while the first is still
 * running is ignored (a double click makes one invite, not two), and a refusal is kept as the text
 * to show, in the UI's language.
 */
export class OneStep {
	busy = $state(false);
	failure = $state('');

	/** Runs `work` unless a step is already running; true when it ran and succeeded. */
	async run(work: () => Promise<unknown>): Promise<boolean> {
		if (this.busy) return false;
		this.busy = true;
		this.failure = '';
		try {
			await work();
			return true;
		} catch (err) {
			this.failure = errorText(err);
			return false;
		} finally {
			this.busy = false;
		}
	}
}
