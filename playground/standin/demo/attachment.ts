/**
 * A message attachment (`props.attachments[]`) as Mattermost draws it: a card with a colour bar on the left, pretext
 * above it, author, title (linked), text, fields (short ones two to a row), image and thumbnail, footer.
 * Text, pretext and field values are Markdown; titles and the footer are plain text.
 */
import { escapeHtml, safeUrl } from './html';

export type Attachment = Record<string, unknown>;
export type Markdown = (text: string) => string;

/** Mattermost's named colours; anything else is used as a CSS colour (usually `#rrggbb`). */
const NAMED_COLORS: Record<string, string> = { good: '#3db887', warning: '#ffbc1f', danger: '#d24b4e' };

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

export function attachmentColor(attachment: Attachment): string {
	const color = text(attachment.color);
	if (!color) return '#d0d7de';
	return NAMED_COLORS[color] ?? (/^#[0-9a-f]{3,8}$/i.test(color) ? color : '#d0d7de');
}

function authorHtml(attachment: Attachment): string {
	const name = text(attachment.author_name);
	if (!name) return '';
	const icon = safeUrl(attachment.author_icon);
	const link = safeUrl(attachment.author_link);
	const label = link ? `<a href="${escapeHtml(link)}" target="_blank" rel="noopener noreferrer">${escapeHtml(name)}</a>` : escapeHtml(name);
	return `<div class="att-author">${icon ? `<img src="${escapeHtml(icon)}" alt="">` : ''}${label}</div>`;
}

function titleHtml(attachment: Attachment): string {
	const title = text(attachment.title);
	if (!title) return '';
	const link = safeUrl(attachment.title_link);
	return `<div class="att-title">${link ? `<a href="${escapeHtml(link)}" target="_blank" rel="noopener noreferrer">${escapeHtml(title)}</a>` : escapeHtml(title)}</div>`;
}

function fieldsHtml(attachment: Attachment, markdown: Markdown): string {
	if (!Array.isArray(attachment.fields) || attachment.fields.length === 0) return '';
	const fields = (attachment.fields as Attachment[]).map(
		(field) =>
			`<div class="att-field${field.short ? ' short' : ''}"><div class="att-field-title">${escapeHtml(text(field.title))}</div>` +
			`<div class="att-field-value">${markdown(text(field.value))}</div></div>`,
	);
	return `<div class="att-fields">${fields.join('')}</div>`;
}

function footerHtml(attachment: Attachment): string {
	const footer = text(attachment.footer);
	if (!footer) return '';
	const icon = safeUrl(attachment.footer_icon);
	return `<div class="att-footer">${icon ? `<img src="${escapeHtml(icon)}" alt="">` : ''}${escapeHtml(footer)}</div>`;
}

/** `extra` goes at the bottom inside the card (the buttons and menus). */
export function attachmentHtml(attachment: Attachment, markdown: Markdown, extra = ''): string {
	const pretext = text(attachment.pretext);
	const body = text(attachment.text);
	const image = safeUrl(attachment.image_url);
	const thumb = safeUrl(attachment.thumb_url);
	return (
		`${pretext ? `<div class="att-pretext">${markdown(pretext)}</div>` : ''}` +
		`<div class="attachment" style="border-left-color:${escapeHtml(attachmentColor(attachment))}">` +
		`${thumb ? `<img class="att-thumb" src="${escapeHtml(thumb)}" alt="">` : ''}` +
		authorHtml(attachment) +
		titleHtml(attachment) +
		`${body ? `<div class="att-text">${markdown(body)}</div>` : ''}` +
		fieldsHtml(attachment, markdown) +
		`${image ? `<img class="att-image" src="${escapeHtml(image)}" alt="">` : ''}` +
		footerHtml(attachment) +
		extra +
		`</div>`
	);
}
