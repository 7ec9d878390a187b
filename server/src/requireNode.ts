// Side effect only: refuses to go on under an unsupported Node. Imported first by the service and the command line.
import { unsupportedNodeMessage } from './nodeVersion';

const refusal = unsupportedNodeMessage(process.versions.node);
if (refusal !== null) {
  process.stderr.write(refusal);
  // Exit code 1 ("failed"): not a configuration error of the service (78), and a wrong command line is 2.
  process.exit(1);
}
