import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { isStoreUnreachable, STORE_UNREACHABLE } from '../storage/map-store.js';

/** An error with the status and message the client should see. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  static fromZod(error: z.ZodError): HttpError {
    const issue = error.issues[0];
    if (!issue) return new HttpError(400, 'invalid request');
    const path = issue.path.join('.');
    if (issue.code === 'invalid_type') {
      return new HttpError(
        400,
        path ? `${path} is missing or not a ${issue.expected}` : 'request body must be a JSON object (Content-Type: application/json)',
      );
    }
    return new HttpError(400, issue.message);
  }
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (error instanceof HttpError) {
      res.status(error.status).json({ error: error.message });
      return;
    }
    const status = (error as { status?: number; type?: string }).status;
    if (status === 400 || status === 413 || status === 415) {
      // express.json() rejects malformed or oversized bodies with these.
      const message =
        status === 413 ? 'request body is too large' : status === 415 ? 'request body must be JSON' : 'request body is not valid JSON';
      res.status(status).json({ error: message });
      return;
    }
    if (isStoreUnreachable(error)) {
      logger.warn({ err: error, method: req.method, path: req.path }, 'request refused: the database cannot be reached');
      res.status(503).set('Retry-After', '5').json({ error: STORE_UNREACHABLE });
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    res.status(500).json({ error: 'internal server error' });
  };
}
