import type { ImportTable } from '../../domain/imports';
import { ImportFileError } from './files';

/** An HSDS 3.1 data package (zip of CSVs with datapackage.json) into import rows. */
export function readHsdsPackage(bytes: Uint8Array): ImportTable {
	void bytes;
	throw new ImportFileError('format', 'HSDS data packages are not read yet');
}
