import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { errorHandler, HttpError } from './http-error.js';
import { libraryRoutes } from './library-routes.js';
import { linksRoutes } from './links-routes.js';
import { peopleRoutes } from './people-routes.js';
import { MapCreation } from './map-creation.js';
import { mapsRoutes, type MapsRoutesOptions } from './maps-routes.js';
import { versionsRoutes } from './versions-routes.js';
import { activityRoutes } from './activity-routes.js';
import { roundsRoutes } from './rounds-routes.js';
import { summaryRoutes } from './summary-routes.js';
import { workshopRoutes } from './workshop-routes.js';
import { CARD_IMPORT_LIMIT, cardImportRoutes } from './card-import-routes.js';
import { surveyImportRoutes } from './survey-import-routes.js';
import { exportsRoutes, IMPORT_LIMIT } from './exports-routes.js';
import type { MapHistory } from '../history/map-history.js';
import type { MapImageRenderer } from '../exports/image-renderer.js';
import { templatesRoutes } from './templates-routes.js';
import { workspaceRoutes } from './workspace-routes.js';
import { securityHeaders } from './security-headers.js';
import { requestToken } from './map-access.js';
import type { ServerMetrics } from '../metrics.js';
import { timingSafeEqual } from 'node:crypto';

export interface AppOptions extends MapsRoutesOptions {
  logger: Logger;
  history: MapHistory;
  images: MapImageRenderer;
  webDir: string | undefined;
  /** What /healthz says: `status` ('ok', or 'degraded' while a dependency is down) and the rest. */
  health(): Promise<Record<string, unknown> & { status: string }>;
  /** `GET /metrics` for whoever shows the token; absent (404) when metrics are off. */
  metrics?: { registry: ServerMetrics; token: string } | undefined;
}

/** The HTTP side: the JSON API, health, and the built web app. */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  app.use((req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      // req.path carries no query string, so tokens never reach the log.
      options.logger.debug(
        { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - started) },
        'http',
      );
    });
    next();
  });

  const metrics = options.metrics;
  if (metrics) {
    app.get('/metrics', async (req, res) => {
      if (!sameToken(requestToken(req), metrics.token)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="waymark-metrics"');
        throw new HttpError(401, 'metrics need the METRICS_TOKEN as a bearer token');
      }
      res.setHeader('Content-Type', metrics.registry.contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.send(await metrics.registry.text());
    });
  }

  app.get('/healthz', async (_req, res) => {
    res.json(await options.health());
  });

  // Answers depend on who asks and change with every revocation or deletion: never cached.
  app.use('/api', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // An export being imported is larger than any other request: its route reads its own body first.
  app.use('/api/maps/import', express.json({ limit: IMPORT_LIMIT }));
  app.use('/api/maps/:id/cards/import', express.json({ limit: CARD_IMPORT_LIMIT }));
  app.use('/api', express.json({ limit: '64kb' }));
  app.use(libraryRoutes(options));
  const creation = new MapCreation(options);
  app.use(mapsRoutes(options, creation));
  app.use(versionsRoutes(options, creation));
  app.use(activityRoutes(options));
  app.use(cardImportRoutes(options));
  app.use(surveyImportRoutes(options));
  app.use(workshopRoutes(options));
  app.use(roundsRoutes(options));
  app.use(summaryRoutes(options));
  app.use(exportsRoutes(options, creation));
  app.use(linksRoutes(options));
  app.use(peopleRoutes(options));
  app.use(workspaceRoutes(options));
  app.use(templatesRoutes(options));
  app.use('/api', (req, _res, next) => next(new HttpError(404, `no route ${req.method} ${req.path}`)));

  const webDir = options.webDir;
  if (webDir && existsSync(join(webDir, 'index.html'))) {
    app.use(express.static(webDir, { index: false, maxAge: '1h' }));
    // Client-side routes (/, /maps/:id, /embed/:id) all load the single page.
    app.get(['/', '/maps/:id', '/embed/:id'], (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(webDir, 'index.html'));
    });
  } else if (webDir) {
    options.logger.warn({ webDir }, 'web app not built; serving the API only (run pnpm build)');
  }

  app.use(errorHandler(options.logger));
  return app;
}

/** Compares a token in constant time, so its characters cannot be found one by one by timing. */
function sameToken(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
