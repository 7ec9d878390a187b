// A throwaway certificate authority for TLS tests, in a temporary folder: the CA is a self-signed certificate from the
// service's builder (server/src/keys/selfSigned.ts); the server certificate it signs is built here with node-forge,
// because issuing certificates for others is a test's need only, not something the service should offer.
// Test-only; nothing here is ever committed or trusted outside the test.
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { createSelfSignedCertificate } from '../../server/src/keys/selfSigned';

export interface IssuedFiles {
  certFile: string;
  keyFile: string;
  /** The CA certificate (PEM file) that clients must trust. */
  caFile: string;
}

/** A CA in `dir` (ca.crt) and a server certificate it signed for 127.0.0.1 and localhost (server.crt, server.key). */
export function createTestCa(dir: string, name = 'prechat-guard test-only CA'): IssuedFiles {
  const ca = createSelfSignedCertificate({
    commonName: name,
    usage: 'authority',
    notAfter: new Date(Date.now() + 86_400_000),
  });
  const caCert = forge.pki.certificateFromPem(ca.certPem);

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serverCert = forge.pki.createCertificate();
  serverCert.publicKey = forge.pki.publicKeyFromPem(
    createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString(),
  );
  serverCert.serialNumber = '01' + randomBytes(15).toString('hex'); // positive: leading byte below 0x80
  serverCert.validity.notBefore = new Date(Date.now() - 60_000);
  serverCert.validity.notAfter = new Date(Date.now() + 86_400_000);
  serverCert.setSubject([{ name: 'commonName', value: '127.0.0.1' }]);
  serverCert.setIssuer(caCert.subject.attributes);
  serverCert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
      ],
    },
  ]);
  serverCert.sign(forge.pki.privateKeyFromPem(ca.privateKeyPem), forge.md.sha256.create());

  const files = {
    caFile: path.join(dir, 'ca.crt'),
    certFile: path.join(dir, 'server.crt'),
    keyFile: path.join(dir, 'server.key'),
  };
  writeFileSync(files.caFile, ca.certPem);
  writeFileSync(files.certFile, forge.pki.certificateToPem(serverCert));
  writeFileSync(files.keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), { mode: 0o600 });
  return files;
}
