export { putStatus as handler } from './snapshot-put.js';
