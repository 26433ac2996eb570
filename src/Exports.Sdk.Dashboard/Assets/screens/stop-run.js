// "Stop" on a queued or running run, from the runs tab or the run's page: the API cancels it on whichever host runs it.
import { post, enc } from '../api.js';
import { status } from '../dom.js';

export async function stopRun(runId) {
  try {
    await post(`runs/${enc(runId)}/cancel`);
    status('Stopping the run: nothing it wrote stays at the destination.');
  } catch (error) { status(error.message, { error: true }); }
}
