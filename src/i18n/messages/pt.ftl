# Quire's interface text in Portuguese (ids as in en.ftl).

## Dates
date-format = %-d de %b de %Y
date-months = janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro
date-months-short = jan.|fev.|mar.|abr.|mai.|jun.|jul.|ago.|set.|out.|nov.|dez.
date-weekdays = segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira|sábado|domingo
date-weekdays-short = seg.|ter.|qua.|qui.|sex.|sáb.|dom.

## Layout
skip-to-content = Ir para o conteúdo principal
nav-site = Site
site-notice = Aviso do site
nav-feeds = Feeds e links
nav-languages = Idiomas
post-translations = Este artigo em outros idiomas
page-translations = Esta página em outros idiomas
language-name = Português
footer-credit = © { $author } · Servido pelo Quire.
theme-to-dark = Mudar para o tema escuro
theme-to-light = Mudar para o tema claro

## The search box in the header
search-form = Pesquisa no site
search-label = Pesquisar artigos
search-placeholder = Pesquisar…  /
search-list = Resultados da pesquisa
search-none = Nenhum artigo corresponde.
search-status = { $count ->
    [one] { $count } resultado
   *[other] { $count } resultados
}
search-all = { $count ->
    [one] O único resultado →
   *[other] Todos os { $count } resultados →
}

## The search page
search-title = Pesquisa — { $site }
search-title-query = “{ $query }” — Pesquisa — { $site }
search-heading = Pesquisa
search-page-label = Pesquisar nos artigos
search-button = Pesquisar
search-prompt = Digite uma ou duas palavras para pesquisar títulos, etiquetas e texto completo.
search-page-none = Nenhum artigo corresponde a “{ $query }”.
search-page-count = { $count ->
    [one] { $count } artigo corresponde a “{ $query }”.
   *[other] { $count } artigos correspondem a “{ $query }”.
}
search-try = Tente menos palavras ou palavras diferentes.
browse-all = Ver todos os artigos

## Listings
chips = Categorias
chip-all = Todas
listing-count = { $count ->
    [one] { $count } artigo
   *[other] { $count } artigos
}
listing-count-category = { $count ->
    [one] { $count } artigo em { $category }
   *[other] { $count } artigos em { $category }
}
listing-count-tags = { $count ->
    [one] { $count } artigo com { $tags }
   *[other] { $count } artigos com { $tags }
}
listing-count-category-tags = { $count ->
    [one] { $count } artigo em { $category } com { $tags }
   *[other] { $count } artigos em { $category } com { $tags }
}
listing-empty = Nenhum artigo corresponde a este filtro.
listing-show-all = Ver todos os artigos
listing-unavailable = Não foi possível carregar os artigos. Tente novamente.
page-title = { $title } — página { $page }
pagination = Páginas
page-number = Página { $page }
page-of = Página { $page } de { $pages }
newer = ← Mais recentes
older = Mais antigos →
section-pages = Páginas

## Cards and articles
tags = Etiquetas
byline = Por
byline-and = e
reading-time = { $minutes } min de leitura
read-more = Continuar lendo →
read-more-label = Continuar lendo: { $title }
breadcrumb = Trilha de navegação
home = Início
updated = Atualizado em
contents = Conteúdo
table-of-contents = Sumário
post-nav = Artigos anterior e seguinte
related = Artigos relacionados
series-part = Parte { $number } de { $count }:
copy = Copiar
copy-label = Copiar o código
copied = Copiado
copy-failed = Falha ao copiar
article-unavailable = Não foi possível carregar este artigo. Tente novamente.

## Authors
author-description = Artigos de { $name } em { $site }
author-website = Site
author-feed = Feed Atom
author-articles = { $count ->
    [one] { $count } artigo
   *[other] { $count } artigos
}
author-listing = Artigos de { $name }
authors = Autores

## The 404 page
not-found-title = Página não encontrada
not-found-text = Não há nenhuma página neste endereço. Ela pode ter sido movida, ou o link pode conter um erro.
not-found-suggest = Procurava um destes?
not-found-search = ou pesquise com a caixa acima.
