import type { INodeProperties } from 'n8n-workflow';

const text = (name: string, displayName: string, description: string, placeholder?: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	description,
	...(placeholder ? { placeholder } : {}),
});

/** The attachment editor; field names are camelCase here and become Mattermost's snake_case keys. */
export const attachmentsUi: INodeProperties = {
	displayName: 'Attachments',
	name: 'attachmentsUi',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Attachment',
	default: {},
	description: 'Message attachments (cards with a coloured bar, title, fields and images)',
	options: [
		{
			displayName: 'Attachment',
			name: 'attachment',
			values: [
				text('color', 'Color', 'Bar colour: good, warning, danger or a hex colour like #2e7d32', '#2e7d32'),
				text('fallback', 'Fallback', 'Plain-text summary shown in notifications'),
				text('pretext', 'Pretext', 'Text shown above the attachment'),
				text('authorName', 'Author Name', 'Name shown at the top of the attachment'),
				text('authorLink', 'Author Link', 'http(s) link on the author name (needs Author Name)'),
				text('authorIcon', 'Author Icon', 'http(s) URL of a small picture next to the author name'),
				text('title', 'Title', 'Title of the attachment'),
				text('titleLink', 'Title Link', 'http(s) link on the title (needs Title)'),
				{ ...text('text', 'Text', 'Main text (Markdown)'), typeOptions: { rows: 3 } },
				{
					displayName: 'Fields',
					name: 'fields',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true },
					placeholder: 'Add Field',
					default: {},
					description: 'Small title/value pairs shown in a table',
					options: [
						{
							displayName: 'Field',
							name: 'field',
							values: [
								text('title', 'Title', 'Field title'),
								text('value', 'Value', 'Field value (Markdown)'),
								{
									displayName: 'Short',
									name: 'short',
									type: 'boolean',
									default: false,
									description: 'Whether the field is short enough to sit next to another one',
								},
							],
						},
					],
				},
				text('imageUrl', 'Image URL', 'http(s) URL of a large image'),
				text('thumbUrl', 'Thumbnail URL', 'http(s) URL of a small image on the right'),
				text('footer', 'Footer', 'Small text at the bottom'),
				text('footerIcon', 'Footer Icon', 'http(s) URL of a small picture next to the footer'),
			],
		},
	],
};
