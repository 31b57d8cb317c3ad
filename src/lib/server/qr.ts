import QRCode from 'qrcode';

/**
 * A QR code as an SVG string, drawn on the server (the `qrcode` library, no canvas): black on
 * white, medium error correction so a creased printout still reads. The SVG is hidden from
 * assistive technology: the page prints the same address as text beside it.
 */
export async function qrSvg(text: string): Promise<string> {
	const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } });
	return svg.replace('<svg ', '<svg aria-hidden="true" focusable="false" class="qr" ');
}
