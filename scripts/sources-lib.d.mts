export const USAGE: string;
export class UsageError extends Error {}
export interface CliRequest {
  method: string;
  path: string;
  body?: string;
  contentType?: string;
}
export function buildRequest(args: string[], readFile: (file: string) => string): CliRequest;
export function formatAnswer(command: string, status: number, json: unknown): string[];
