# Quire's interface text in German (ids as in en.ftl).

## Dates
date-format = %-d. %B %Y
date-months = Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember
date-months-short = Jan.|Feb.|März|Apr.|Mai|Juni|Juli|Aug.|Sept.|Okt.|Nov.|Dez.
date-weekdays = Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag
date-weekdays-short = Mo.|Di.|Mi.|Do.|Fr.|Sa.|So.

## Layout
skip-to-content = Zum Hauptinhalt springen
nav-site = Website
site-notice = Hinweis der Website
nav-feeds = Feeds und Links
nav-languages = Sprachen
post-translations = Dieser Beitrag in anderen Sprachen
page-translations = Diese Seite in anderen Sprachen
language-name = Deutsch
footer-credit = © { $author } · Betrieben mit Quire.
theme-to-dark = Zum dunklen Design wechseln
theme-to-light = Zum hellen Design wechseln

## The search box in the header
search-form = Website-Suche
search-label = Artikel durchsuchen
search-placeholder = Suchen…  /
search-list = Suchergebnisse
search-none = Keine passenden Artikel.
search-status = { $count ->
    [one] { $count } Ergebnis
   *[other] { $count } Ergebnisse
}
search-all = { $count ->
    [one] Das einzige Ergebnis →
   *[other] Alle { $count } Ergebnisse →
}

## The search page
search-title = Suche — { $site }
search-title-query = „{ $query }“ — Suche — { $site }
search-heading = Suche
search-page-label = Artikel durchsuchen
search-button = Suchen
search-prompt = Geben Sie ein oder zwei Wörter ein, um Titel, Schlagwörter und Volltext zu durchsuchen.
search-page-none = Keine Artikel passen zu „{ $query }“.
search-page-count = { $count ->
    [one] { $count } Artikel passt zu „{ $query }“.
   *[other] { $count } Artikel passen zu „{ $query }“.
}
search-try = Versuchen Sie weniger oder andere Wörter.
browse-all = Alle Artikel ansehen

## Listings
chips = Kategorien
chip-all = Alle
listing-count = { $count } Artikel
listing-count-category = { $count } Artikel in { $category }
listing-count-tags = { $count } Artikel mit { $tags }
listing-count-category-tags = { $count } Artikel in { $category } mit { $tags }
listing-empty = Keine Artikel passen zu diesem Filter.
listing-show-all = Alle Artikel anzeigen
listing-unavailable = Die Artikel konnten nicht geladen werden. Bitte versuchen Sie es erneut.
page-title = { $title } — Seite { $page }
pagination = Seiten
page-number = Seite { $page }
page-of = Seite { $page } von { $pages }
newer = ← Neuere
older = Ältere →
section-pages = Seiten

## Cards and articles
tags = Schlagwörter
byline = Von
byline-and = und
reading-time = { $minutes } Min. Lesezeit
read-more = Weiterlesen →
read-more-label = Weiterlesen: { $title }
breadcrumb = Brotkrumennavigation
home = Startseite
updated = Aktualisiert am
contents = Inhalt
table-of-contents = Inhaltsverzeichnis
post-nav = Vorheriger und nächster Artikel
related = Ähnliche Artikel
series-part = Teil { $number } von { $count }:
copy = Kopieren
copy-label = Code kopieren
copied = Kopiert
copy-failed = Kopieren fehlgeschlagen
article-unavailable = Dieser Artikel konnte nicht geladen werden. Bitte versuchen Sie es erneut.

## Authors
author-description = Artikel von { $name } auf { $site }
author-website = Website
author-feed = Atom-Feed
author-articles = { $count } Artikel
author-listing = Artikel von { $name }
authors = Autorinnen und Autoren

## The 404 page
not-found-title = Seite nicht gefunden
not-found-text = Unter dieser Adresse gibt es keine Seite. Sie wurde vielleicht verschoben, oder der Link enthält einen Tippfehler.
not-found-suggest = Suchten Sie einen dieser Artikel?
not-found-search = oder suchen Sie mit dem Feld oben.
