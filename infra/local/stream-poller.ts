/** The stream poller lives in ./stream-poller/ (one module per part); importers keep this path. */
export * from './stream-poller/index.js';
