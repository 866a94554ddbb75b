/**
 * GET /favicon.ico: browsers still ask for it whatever the page's <link rel="icon"> says, so
 * point them at the one icon (static/favicon.svg) instead of answering with the not-found page.
 */
import { redirect } from '@sveltejs/kit';
import { asset } from '$app/paths';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = () => redirect(308, asset('/favicon.svg'));
