import * as openForm from './openForm/execute';
import * as run from './run/execute';
import * as saveAnswer from './saveAnswer/execute';

export { description } from './description';
export { openForm, run, saveAnswer };
