import type { StopNear } from '$lib/domain/resource';
import type { Translate } from '$lib/i18n/translate';

/** A dialable tel: address: the number without spaces or other separators. */
export const telHref = (number: string) => `tel:${number.replace(/[^\d+]/g, '')}`;

/** "Fermata Lecco, Amendola/Ghislanzoni: circa 4 min a piedi". */
export const stopText = (t: Translate, stop: StopNear) => t('transit.stop', { kind: stop.kind, name: stop.name, minutes: stop.walk_min, basis: stop.walk_basis });
