import type { RequestHandler } from 'express';

/**
 * The web app loads only its own scripts, styles and sync socket, so the policy can be strict.
 * Inline style attributes stay allowed: components position cards and cursors with them.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** Only /embed/… may be framed, by any site: that is what embedding a live map is for. */
const EMBED_PATH = /^\/embed\//;

export const securityHeaders: RequestHandler = (req, res, next) => {
  const embeddable = EMBED_PATH.test(req.path);
  res.setHeader('Content-Security-Policy', `${CONTENT_SECURITY_POLICY}; frame-ancestors ${embeddable ? '*' : "'none'"}`);
  if (!embeddable) res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  next();
};
