import { CATEGORY_CODES, type CategoryCode } from '$lib/domain/taxonomy';

/**
 * How each category looks on the map and in its legend. Colours are the Okabe–Ito palette (told
 * apart with every common colour-vision deficiency) and every category also has its own outline
 * shape and pictogram, so colour is never the only cue (WCAG 1.4.1). Shapes are SVG path data on a
 * 24×24 grid: the legend draws them as inline SVG, the map rasterises the same paths with Path2D.
 * Pure data and canvas code: no MapLibre import, so a list may use it without loading the map.
 */
export interface CategoryStyle {
	code: CategoryCode;
	/** Fill colour (Okabe–Ito). */
	colour: string;
	/** Pictogram colour chosen for contrast with the fill. */
	ink: string;
	/** Outline shape. */
	shape: string;
	/** Pictogram inside the shape (empty when the shape says it all). */
	glyph: string;
}

export const INK = '#1b1f24';
const WHITE = '#ffffff';

const SHAPES = {
	circle: 'M12 2.5a9.5 9.5 0 1 0 0 19a9.5 9.5 0 1 0 0-19z',
	square: 'M3.5 3.5h17v17h-17z',
	house: 'M12 2 21.5 9.6V21.5h-19V9.6z',
	hexagon: 'M12 1.8 20.9 6.9V17.1L12 22.2 3.1 17.1V6.9z',
	diamond: 'M12 1.2 22.8 12 12 22.8 1.2 12z',
	shield: 'M3.5 3h17v8.2c0 5.4-3.7 8.7-8.5 10.8-4.8-2.1-8.5-5.4-8.5-10.8z',
	plus: 'M8.3 1.8h7.4v6.5h6.5v7.4h-6.5v6.5H8.3v-6.5H1.8V8.3h6.5z'
};

const GLYPHS = {
	heart: 'M12 17.6 7.3 13.1a2.9 2.9 0 0 1 4.7-3.6 2.9 2.9 0 0 1 4.7 3.6z',
	building: 'M12 6.2 17.8 9.4H6.2zM7.3 10.4h1.8v5H7.3zM11.1 10.4h1.8v5h-1.8zM14.9 10.4h1.8v5h-1.8zM6.2 16.1h11.6v1.7H6.2z',
	cross: 'M11 8.2h2v3h3v2h-3v6.3h-2v-6.3H8v-2h3z',
	book: 'M5.4 8.3c2.4-.7 4.7-.4 6.1.9v8.5c-1.4-1.2-3.7-1.5-6.1-.9zM18.6 8.3c-2.4-.7-4.7-.4-6.1.9v8.5c1.4-1.2 3.7-1.5 6.1-.9z',
	bag: 'M8.4 10.2h7.2l.7 6.6H7.7zM10.1 10.2V9a1.9 1.9 0 0 1 3.8 0v1.2h-1.2V9a.7.7 0 0 0-1.4 0v1.2z',
	person: 'M12 5.6a2.3 2.3 0 1 1 0 4.6 2.3 2.3 0 1 1 0-4.6zM7.6 16.2c0-2.6 2-4.6 4.4-4.6s4.4 2 4.4 4.6z'
};

export const CATEGORY_STYLES: Record<CategoryCode, CategoryStyle> = {
	partner: { code: 'partner', colour: '#E69F00', ink: INK, shape: SHAPES.circle, glyph: GLYPHS.heart },
	institution: { code: 'institution', colour: '#0072B2', ink: WHITE, shape: SHAPES.square, glyph: GLYPHS.building },
	parish: { code: 'parish', colour: '#CC79A7', ink: INK, shape: SHAPES.house, glyph: GLYPHS.cross },
	school: { code: 'school', colour: '#56B4E9', ink: INK, shape: SHAPES.hexagon, glyph: GLYPHS.book },
	shop: { code: 'shop', colour: '#D55E00', ink: WHITE, shape: SHAPES.diamond, glyph: GLYPHS.bag },
	custodia: { code: 'custodia', colour: '#009E73', ink: WHITE, shape: SHAPES.shield, glyph: GLYPHS.person },
	health: { code: 'health', colour: '#F0E442', ink: INK, shape: SHAPES.plus, glyph: '' }
};

export const ALL_CATEGORIES: string[] = [...CATEGORY_CODES];

export function isCategory(code: unknown): code is CategoryCode {
	return typeof code === 'string' && Object.hasOwn(CATEGORY_STYLES, code);
}

/** The map image id of a category's pin; demo records get the hollow, dashed variant. */
export function iconId(code: CategoryCode, demo: boolean): string {
	return `atlas-${code}${demo ? '-demo' : ''}`;
}

/** Reads an image id back ({@link iconId}); null when it is not one of ours. */
export function parseIconId(id: string): { code: CategoryCode; demo: boolean } | null {
	const match = /^atlas-([a-z]+)(-demo)?$/.exec(id);
	if (!match || !isCategory(match[1])) return null;
	return { code: match[1], demo: Boolean(match[2]) };
}

/** Device pixels per icon pixel: icons are drawn at twice their size so they stay sharp on HiDPI screens. */
export const ICON_PIXEL_RATIO = 2;
const GRID = 24;
const MARGIN = 1.2;

/**
 * Draws a pin as RGBA pixels for `map.addImage`. Real records are filled with the category colour;
 * demo records are white with a dashed outline, so fictional data is told apart without colour.
 */
export function drawIcon(code: CategoryCode, demo: boolean): { width: number; height: number; data: Uint8ClampedArray } | null {
	const style = CATEGORY_STYLES[code];
	const size = GRID * ICON_PIXEL_RATIO;
	const canvas = document.createElement('canvas');
	canvas.width = canvas.height = size;
	const ctx = canvas.getContext('2d');
	if (!ctx) return null;
	ctx.scale(ICON_PIXEL_RATIO, ICON_PIXEL_RATIO);
	// The same 1.2 margin as the legend's SVG viewBox, so the halo is not clipped at the edge.
	ctx.scale(GRID / (GRID + 2 * MARGIN), GRID / (GRID + 2 * MARGIN));
	ctx.translate(MARGIN, MARGIN);
	const shape = new Path2D(style.shape);
	ctx.lineJoin = 'round';
	// A white halo keeps the pin readable over any basemap (external styles included).
	ctx.strokeStyle = WHITE;
	ctx.lineWidth = 3.2;
	ctx.stroke(shape);
	if (demo) drawDemoShape(ctx, shape, style);
	else drawSolidShape(ctx, shape, style);
	if (style.glyph) {
		ctx.fillStyle = demo ? INK : style.ink;
		ctx.fill(new Path2D(style.glyph));
	}
	const { data } = ctx.getImageData(0, 0, size, size);
	return { width: size, height: size, data };
}

function drawSolidShape(ctx: CanvasRenderingContext2D, shape: Path2D, style: CategoryStyle): void {
	ctx.fillStyle = style.colour;
	ctx.fill(shape);
	ctx.strokeStyle = INK;
	ctx.lineWidth = 1.1;
	ctx.stroke(shape);
}

function drawDemoShape(ctx: CanvasRenderingContext2D, shape: Path2D, style: CategoryStyle): void {
	ctx.fillStyle = WHITE;
	ctx.fill(shape);
	// Dark underneath, colour dashes on top: the gaps show dark, so even yellow dashes stand out.
	ctx.strokeStyle = INK;
	ctx.lineWidth = 2.6;
	ctx.stroke(shape);
	ctx.setLineDash([2.4, 1.6]);
	ctx.strokeStyle = style.colour;
	ctx.lineWidth = 2;
	ctx.stroke(shape);
	ctx.setLineDash([]);
}
