# Quire's interface text in French (ids as in en.ftl).

## Dates
date-format = %-d %b %Y
date-months = janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre
date-months-short = janv.|févr.|mars|avr.|mai|juin|juil.|août|sept.|oct.|nov.|déc.
date-weekdays = lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche
date-weekdays-short = lun.|mar.|mer.|jeu.|ven.|sam.|dim.

## Layout
skip-to-content = Aller au contenu principal
nav-site = Site
site-notice = Annonce du site
nav-feeds = Flux et liens
nav-languages = Langues
post-translations = Cet article dans d’autres langues
page-translations = Cette page dans d’autres langues
language-name = Français
footer-credit = © { $author } · Propulsé par Quire.
theme-to-dark = Passer au thème sombre
theme-to-light = Passer au thème clair

## The search box in the header
search-form = Recherche sur le site
search-label = Rechercher des articles
search-placeholder = Rechercher…  /
search-list = Résultats de la recherche
search-none = Aucun article ne correspond.
search-status = { $count ->
    [one] { $count } résultat
   *[other] { $count } résultats
}
search-all = { $count ->
    [one] Le seul résultat →
   *[other] Les { $count } résultats →
}

## The search page
search-title = Recherche — { $site }
search-title-query = « { $query } » — Recherche — { $site }
search-heading = Recherche
search-page-label = Rechercher dans les articles
search-button = Rechercher
search-prompt = Tapez un mot ou deux pour chercher dans les titres, les mots-clés et le texte.
search-page-none = Aucun article ne correspond à « { $query } ».
search-page-count = { $count ->
    [one] { $count } article correspond à « { $query } ».
   *[other] { $count } articles correspondent à « { $query } ».
}
search-try = Essayez d’autres mots, ou moins de mots.
browse-all = Parcourir tous les articles

## Listings
chips = Catégories
chip-all = Tout
listing-count = { $count ->
    [one] { $count } article
   *[other] { $count } articles
}
listing-count-category = { $count ->
    [one] { $count } article dans { $category }
   *[other] { $count } articles dans { $category }
}
listing-count-tags = { $count ->
    [one] { $count } article avec { $tags }
   *[other] { $count } articles avec { $tags }
}
listing-count-category-tags = { $count ->
    [one] { $count } article dans { $category } avec { $tags }
   *[other] { $count } articles dans { $category } avec { $tags }
}
listing-empty = Aucun article ne correspond à ce filtre.
listing-show-all = Voir tous les articles
listing-unavailable = Les articles n’ont pas pu être chargés. Veuillez réessayer.
page-title = { $title } — page { $page }
pagination = Pages
page-number = Page { $page }
page-of = Page { $page } sur { $pages }
newer = ← Plus récents
older = Plus anciens →
section-pages = Pages

## Cards and articles
tags = Mots-clés
byline = Par
byline-and = et
reading-time = { $minutes } min de lecture
read-more = Lire la suite →
read-more-label = Lire la suite : { $title }
breadcrumb = Fil d’Ariane
home = Accueil
updated = Mis à jour le
contents = Sommaire
table-of-contents = Table des matières
post-nav = Articles précédent et suivant
related = Articles liés
series-part = Partie { $number } sur { $count } :
copy = Copier
copy-label = Copier le code
copied = Copié
copy-failed = Échec de la copie
article-unavailable = Cet article n’a pas pu être chargé. Veuillez réessayer.

## Authors
author-description = Articles de { $name } sur { $site }
author-website = Site web
author-feed = Flux Atom
author-articles = { $count ->
    [one] { $count } article
   *[other] { $count } articles
}
author-listing = Articles de { $name }
authors = Auteurs

## The 404 page
not-found-title = Page introuvable
not-found-text = Il n’y a aucune page à cette adresse. Elle a peut-être été déplacée, ou le lien contient une faute de frappe.
not-found-suggest = Cherchiez-vous l’un de ces articles ?
not-found-search = ou cherchez avec le champ ci-dessus.
