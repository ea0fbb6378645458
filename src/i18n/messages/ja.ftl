# Quire's interface text in Japanese (ids as in en.ftl).

## Dates
date-format = %Y年%-m月%-d日
date-months = 1月|2月|3月|4月|5月|6月|7月|8月|9月|10月|11月|12月
date-months-short = 1月|2月|3月|4月|5月|6月|7月|8月|9月|10月|11月|12月
date-weekdays = 月曜日|火曜日|水曜日|木曜日|金曜日|土曜日|日曜日
date-weekdays-short = 月|火|水|木|金|土|日

## Layout
skip-to-content = メインコンテンツへ移動
nav-site = サイト
site-notice = サイトからのお知らせ
nav-feeds = フィードとリンク
nav-languages = 言語
post-translations = この記事の他の言語版
page-translations = このページの他の言語版
language-name = 日本語
footer-credit = © { $author } · Quire で配信しています。
theme-to-dark = ダークテーマに切り替える
theme-to-light = ライトテーマに切り替える

## The search box in the header
search-form = サイト内検索
search-label = 記事を検索
search-placeholder = 検索…  /
search-list = 検索結果
search-none = 一致する記事はありません。
search-status = { $count } 件の結果
search-all = { $count } 件の結果をすべて表示 →

## The search page
search-title = 検索 — { $site }
search-title-query = 「{ $query }」 — 検索 — { $site }
search-heading = 検索
search-page-label = 記事を検索
search-button = 検索
search-prompt = タイトル、タグ、本文を検索するには、語を一つか二つ入力してください。
search-page-none = 「{ $query }」に一致する記事はありません。
search-page-count = 「{ $query }」に一致する記事が { $count } 件あります。
search-try = 語を減らすか、別の語で試してください。
browse-all = すべての記事を見る

## Listings
chips = カテゴリー
chip-all = すべて
listing-count = { $count } 件の記事
listing-count-category = { $category } の記事 { $count } 件
listing-count-tags = { $tags } の記事 { $count } 件
listing-count-category-tags = { $category }・{ $tags } の記事 { $count } 件
listing-empty = この条件に一致する記事はありません。
listing-show-all = すべての記事を表示
listing-unavailable = 記事を読み込めませんでした。もう一度お試しください。
page-title = { $title } — { $page } ページ
pagination = ページ
page-number = { $page } ページ
page-of = { $pages } ページ中 { $page } ページ
newer = ← 新しい記事
older = 古い記事 →
section-pages = ページ

## Cards and articles
tags = タグ
byline = 著者:
byline-and = 、
reading-time = { $minutes } 分で読めます
read-more = 続きを読む →
read-more-label = 続きを読む: { $title }
breadcrumb = パンくずリスト
home = ホーム
updated = 更新日
contents = 目次
table-of-contents = 目次
post-nav = 前後の記事
related = 関連記事
series-part = 全 { $count } 回中 第 { $number } 回:
copy = コピー
copy-label = コードをコピー
copied = コピーしました
copy-failed = コピーできませんでした
article-unavailable = この記事を読み込めませんでした。もう一度お試しください。

## Authors
author-description = { $site } の { $name } による記事
author-website = ウェブサイト
author-feed = Atom フィード
author-articles = { $count } 件の記事
author-listing = { $name } による記事
authors = 著者

## The 404 page
not-found-title = ページが見つかりません
not-found-text = このアドレスにはページがありません。移動したか、リンクが間違っている可能性があります。
not-found-suggest = お探しの記事はこちらですか?
not-found-search = または上の検索ボックスで検索してください。
