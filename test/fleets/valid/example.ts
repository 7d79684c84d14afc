import { fleet } from '../../../clusters/index';

/** The example fleet shipped as the default. */
export default fleet;
