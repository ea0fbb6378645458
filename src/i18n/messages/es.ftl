# Quire's interface text in Spanish (ids as in en.ftl).

## Dates
date-format = %-d %b %Y
date-months = enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre
date-months-short = ene|feb|mar|abr|may|jun|jul|ago|sept|oct|nov|dic
date-weekdays = lunes|martes|miércoles|jueves|viernes|sábado|domingo
date-weekdays-short = lun|mar|mié|jue|vie|sáb|dom

## Layout
skip-to-content = Saltar al contenido principal
nav-site = Sitio
site-notice = Aviso del sitio
nav-feeds = Canales y enlaces
nav-languages = Idiomas
post-translations = Este artículo en otros idiomas
page-translations = Esta página en otros idiomas
language-name = Español
footer-credit = © { $author } · Servido por Quire.
theme-to-dark = Cambiar al tema oscuro
theme-to-light = Cambiar al tema claro

## The search box in the header
search-form = Búsqueda en el sitio
search-label = Buscar artículos
search-placeholder = Buscar…  /
search-list = Resultados de la búsqueda
search-none = Ningún artículo coincide.
search-status = { $count ->
    [one] { $count } resultado
   *[other] { $count } resultados
}
search-all = { $count ->
    [one] El único resultado →
   *[other] Los { $count } resultados →
}

## The search page
search-title = Búsqueda — { $site }
search-title-query = «{ $query }» — Búsqueda — { $site }
search-heading = Búsqueda
search-page-label = Buscar en los artículos
search-button = Buscar
search-prompt = Escribe una o dos palabras para buscar en títulos, etiquetas y texto completo.
search-page-none = Ningún artículo coincide con «{ $query }».
search-page-count = { $count ->
    [one] { $count } artículo coincide con «{ $query }».
   *[other] { $count } artículos coinciden con «{ $query }».
}
search-try = Prueba con menos palabras o con otras.
browse-all = Ver todos los artículos

## Listings
chips = Categorías
chip-all = Todas
listing-count = { $count ->
    [one] { $count } artículo
   *[other] { $count } artículos
}
listing-count-category = { $count ->
    [one] { $count } artículo en { $category }
   *[other] { $count } artículos en { $category }
}
listing-count-tags = { $count ->
    [one] { $count } artículo con { $tags }
   *[other] { $count } artículos con { $tags }
}
listing-count-category-tags = { $count ->
    [one] { $count } artículo en { $category } con { $tags }
   *[other] { $count } artículos en { $category } con { $tags }
}
listing-empty = Ningún artículo coincide con este filtro.
listing-show-all = Ver todos los artículos
listing-unavailable = No se pudieron cargar los artículos. Inténtalo de nuevo.
page-title = { $title } — página { $page }
pagination = Páginas
page-number = Página { $page }
page-of = Página { $page } de { $pages }
newer = ← Más recientes
older = Más antiguos →
section-pages = Páginas

## Cards and articles
tags = Etiquetas
byline = Por
byline-and = y
reading-time = { $minutes } min de lectura
read-more = Seguir leyendo →
read-more-label = Seguir leyendo: { $title }
breadcrumb = Ruta de navegación
home = Inicio
updated = Actualizado el
contents = Contenido
table-of-contents = Índice
post-nav = Artículos anterior y siguiente
related = Artículos relacionados
series-part = Parte { $number } de { $count }:
copy = Copiar
copy-label = Copiar el código
copied = Copiado
copy-failed = No se pudo copiar
article-unavailable = No se pudo cargar este artículo. Inténtalo de nuevo.

## Authors
author-description = Artículos de { $name } en { $site }
author-website = Sitio web
author-feed = Canal Atom
author-articles = { $count ->
    [one] { $count } artículo
   *[other] { $count } artículos
}
author-listing = Artículos de { $name }
authors = Autores

## The 404 page
not-found-title = Página no encontrada
not-found-text = No hay ninguna página en esta dirección. Puede que se haya movido o que el enlace tenga un error.
not-found-suggest = ¿Buscabas alguno de estos?
not-found-search = o busca con el cuadro de arriba.
