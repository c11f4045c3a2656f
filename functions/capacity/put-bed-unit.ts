export { putBedUnit as handler } from './registry-put.js';
