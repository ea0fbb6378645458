# Quire's interface text in Simplified Chinese (ids as in en.ftl).

## Dates
date-format = %Y年%-m月%-d日
date-months = 一月|二月|三月|四月|五月|六月|七月|八月|九月|十月|十一月|十二月
date-months-short = 1月|2月|3月|4月|5月|6月|7月|8月|9月|10月|11月|12月
date-weekdays = 星期一|星期二|星期三|星期四|星期五|星期六|星期日
date-weekdays-short = 周一|周二|周三|周四|周五|周六|周日

## Layout
skip-to-content = 跳到主要内容
nav-site = 网站
site-notice = 网站公告
nav-feeds = 订阅与链接
nav-languages = 语言
post-translations = 本文的其他语言版本
page-translations = 本页的其他语言版本
language-name = 中文
footer-credit = © { $author } · 由 Quire 提供服务。
theme-to-dark = 切换到深色主题
theme-to-light = 切换到浅色主题

## The search box in the header
search-form = 站内搜索
search-label = 搜索文章
search-placeholder = 搜索…  /
search-list = 搜索结果
search-none = 没有匹配的文章。
search-status = { $count } 条结果
search-all = 查看全部 { $count } 条结果 →

## The search page
search-title = 搜索 — { $site }
search-title-query = “{ $query }” — 搜索 — { $site }
search-heading = 搜索
search-page-label = 搜索文章
search-button = 搜索
search-prompt = 输入一两个词，搜索标题、标签和全文。
search-page-none = 没有与“{ $query }”匹配的文章。
search-page-count = 有 { $count } 篇文章与“{ $query }”匹配。
search-try = 请尝试更少或不同的词。
browse-all = 浏览全部文章

## Listings
chips = 分类
chip-all = 全部
listing-count = { $count } 篇文章
listing-count-category = { $category } 中的 { $count } 篇文章
listing-count-tags = 标记为 { $tags } 的 { $count } 篇文章
listing-count-category-tags = { $category } 中标记为 { $tags } 的 { $count } 篇文章
listing-empty = 没有符合此筛选条件的文章。
listing-show-all = 显示全部文章
listing-unavailable = 无法加载文章，请重试。
page-title = { $title } — 第 { $page } 页
pagination = 分页
page-number = 第 { $page } 页
page-of = 第 { $page } 页，共 { $pages } 页
newer = ← 较新
older = 较旧 →
section-pages = 页面

## Cards and articles
tags = 标签
byline = 作者：
byline-and = 和
reading-time = 阅读约需 { $minutes } 分钟
read-more = 继续阅读 →
read-more-label = 继续阅读：{ $title }
breadcrumb = 导航路径
home = 首页
updated = 更新于
contents = 目录
table-of-contents = 目录
post-nav = 上一篇和下一篇文章
related = 相关文章
series-part = 第 { $number } 部分，共 { $count } 部分：
copy = 复制
copy-label = 复制代码
copied = 已复制
copy-failed = 复制失败
article-unavailable = 无法加载这篇文章，请重试。

## Authors
author-description = { $name } 在 { $site } 发表的文章
author-website = 网站
author-feed = Atom 订阅
author-articles = { $count } 篇文章
author-listing = { $name } 的文章
authors = 作者

## The 404 page
not-found-title = 找不到页面
not-found-text = 这个地址没有页面。它可能已被移动，或者链接有误。
not-found-suggest = 您要找的是不是以下文章？
not-found-search = 或使用上方的搜索框搜索。
