// BASELINE — a hand-written reference verifier, NOT prechat-guard. It is what people commonly write: Express with
// express.json(), a bearer check, and jsonwebtoken's verify() with algorithms, issuer and audience pinned (exp is
// checked by default). No kid lookup, no claim formats, no binding. Kept only to compare speed in `npm run bench`.
import express from 'express';
import jwt from 'jsonwebtoken';
import { baselineSettings } from './env';

const settings = baselineSettings();
const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '16kb' }));

// readiness probe only, so the bench can time start-up the same way for every server
app.get('/readyz', (_req, res) => {
  res.json({ ready: true });
});

app.post('/v1/verify', (req, res) => {
  if (req.headers.authorization !== `Bearer ${settings.callerKey}`) {
    res.status(401).json({ error: 'unauthorized' });
    return;
  }
  const token: unknown = (req.body as { token?: unknown } | undefined)?.token;
  if (typeof token !== 'string') {
    res.status(400).json({ error: 'bad_request' });
    return;
  }
  try {
    const claims = jwt.verify(token, settings.certificatePem, {
      algorithms: ['RS256'],
      issuer: settings.issuer,
      audience: settings.audience,
    }) as jwt.JwtPayload;
    res.json({ valid: true, userId: claims.sub, claims });
  } catch (error) {
    res.json({ valid: false, reason: (error as Error).name });
  }
});

const server = app.listen(settings.port, settings.host);
process.once('SIGTERM', () => server.close(() => process.exit(0)));
