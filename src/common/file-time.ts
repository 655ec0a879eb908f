/** A time for a file name: 20261127T221503Z, sortable, and safe on every file system. */
export function fileTime(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
}
