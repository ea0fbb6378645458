# Quire's interface text in English: the reference every other language
# file must match id for id (src/i18n tests check it). A site overrides any
# message by its id in quire.toml's [strings] table.

## Dates (strftime's %B %b %A %a; `date-format` when quire.toml sets none)
date-format = %b %-d, %Y
date-months = January|February|March|April|May|June|July|August|September|October|November|December
date-months-short = Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec
date-weekdays = Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday
date-weekdays-short = Mon|Tue|Wed|Thu|Fri|Sat|Sun

## Layout
skip-to-content = Skip to main content
nav-site = Site
site-notice = Site notice
nav-feeds = Feeds and links
nav-languages = Languages
post-translations = This post in other languages
page-translations = This page in other languages
language-name = English
footer-credit = © { $author } · Served by Quire.
theme-to-dark = Switch to dark theme
theme-to-light = Switch to light theme

## The search box in the header
search-form = Site search
search-label = Search articles
search-placeholder = Search…  /
search-list = Search results
search-none = No articles match.
search-status = { $count ->
    [one] { $count } result
   *[other] { $count } results
}
search-all = { $count ->
    [one] The only result →
   *[other] All { $count } results →
}

## The search page
search-title = Search — { $site }
search-title-query = “{ $query }” — Search — { $site }
search-heading = Search
search-page-label = Search the articles
search-button = Search
search-prompt = Type a word or two to search titles, tags and full text.
search-page-none = No articles match “{ $query }”.
search-page-count = { $count ->
    [one] { $count } article matches “{ $query }”.
   *[other] { $count } articles match “{ $query }”.
}
search-try = Try fewer or different words.
browse-all = Browse all articles

## Listings
chips = Categories
chip-all = All
listing-count = { $count ->
    [one] { $count } article
   *[other] { $count } articles
}
listing-count-category = { $count ->
    [one] { $count } article in { $category }
   *[other] { $count } articles in { $category }
}
listing-count-tags = { $count ->
    [one] { $count } article tagged { $tags }
   *[other] { $count } articles tagged { $tags }
}
listing-count-category-tags = { $count ->
    [one] { $count } article in { $category } tagged { $tags }
   *[other] { $count } articles in { $category } tagged { $tags }
}
listing-empty = No articles match this filter.
listing-show-all = Show all articles
listing-unavailable = The articles could not be loaded. Please try again.
page-title = { $title } — page { $page }
pagination = Pages
page-number = Page { $page }
page-of = Page { $page } of { $pages }
newer = ← Newer
older = Older →
section-pages = Pages

## Cards and articles
tags = Tags
byline = By
byline-and = and
reading-time = { $minutes ->
    [one] { $minutes } min read
   *[other] { $minutes } min read
}
read-more = Read more →
read-more-label = Read more: { $title }
breadcrumb = Breadcrumb
home = Home
updated = Updated
contents = Contents
table-of-contents = Table of contents
post-nav = Previous and next articles
related = Related articles
series-part = Part { $number } of { $count }:
copy = Copy
copy-label = Copy code
copied = Copied
copy-failed = Copy failed
article-unavailable = This article could not be loaded. Please try again.

## Authors
author-description = Articles by { $name } on { $site }
author-website = Website
author-feed = Atom feed
author-articles = { $count ->
    [one] { $count } article
   *[other] { $count } articles
}
author-listing = Articles by { $name }
authors = Authors

## The 404 page
not-found-title = Page not found
not-found-text = There is no page at this address. It may have moved, or the link may be mistyped.
not-found-suggest = Were you looking for one of these?
not-found-search = or search with the box above.
