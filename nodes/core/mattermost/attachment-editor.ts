import type { Rec } from '../util';

const SNAKE: Record<string, string> = {
	authorName: 'author_name',
	authorLink: 'author_link',
	authorIcon: 'author_icon',
	titleLink: 'title_link',
	imageUrl: 'image_url',
	thumbUrl: 'thumb_url',
	footerIcon: 'footer_icon',
};

/** The attachment editor's values (camelCase field names) in Mattermost's shape (snake_case keys, still unchecked). */
export function attachmentsFromUi(value: Rec | undefined): Rec[] {
	const list = (value?.attachment as Rec[] | undefined) ?? [];
	return list.map((entry) => {
		const out: Rec = {};
		for (const [key, v] of Object.entries(entry)) {
			if (key === 'fields') {
				const fields = ((v as Rec | undefined)?.field as Rec[] | undefined) ?? [];
				if (fields.length) out.fields = fields;
			} else {
				out[SNAKE[key] ?? key] = v;
			}
		}
		return out;
	});
}
