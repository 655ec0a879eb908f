export { chaosRunHtml } from './chaos-page.js';
export { loadRunHtml } from './load-page.js';
