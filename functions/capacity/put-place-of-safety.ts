export { putPlaceOfSafety as handler } from './registry-put.js';
