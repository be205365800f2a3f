import type { Page } from '@playwright/test';

/** The annotation list beside the article, and its entries. */
export const annotationList = (page: Page) => page.getByRole('complementary', { name: 'Annotations' });
export const annotationItems = (page: Page) => annotationList(page).locator('li');

/** The details of the selected annotation. */
export const details = (page: Page) => page.getByRole('region', { name: 'Annotation details' });
