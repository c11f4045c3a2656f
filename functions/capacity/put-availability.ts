export { putAvailability as handler } from './snapshot-put.js';
