# Quire's interface text in Arabic (ids as in en.ftl). Counts follow
# CLDR's six Arabic plural categories.

## Dates
date-format = %-d %B %Y
date-months = يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر
date-months-short = يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر
date-weekdays = الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأحد
date-weekdays-short = الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأحد

## Layout
skip-to-content = انتقل إلى المحتوى الرئيسي
nav-site = الموقع
site-notice = إشعار الموقع
nav-feeds = الخلاصات والروابط
nav-languages = اللغات
post-translations = هذه المقالة بلغات أخرى
page-translations = هذه الصفحة بلغات أخرى
language-name = العربية
footer-credit = © { $author } · يعمل بواسطة Quire.
theme-to-dark = التبديل إلى المظهر الداكن
theme-to-light = التبديل إلى المظهر الفاتح

## The search box in the header
search-form = البحث في الموقع
search-label = ابحث في المقالات
search-placeholder = بحث…  /
search-list = نتائج البحث
search-none = لا توجد مقالات مطابقة.
search-status = { $count ->
    [zero] لا نتائج
    [one] نتيجة واحدة
    [two] نتيجتان
    [few] { $count } نتائج
    [many] { $count } نتيجة
   *[other] { $count } نتيجة
}
search-all = { $count ->
    [one] النتيجة الوحيدة ←
   *[other] كل النتائج ({ $count }) ←
}

## The search page
search-title = بحث — { $site }
search-title-query = «{ $query }» — بحث — { $site }
search-heading = بحث
search-page-label = ابحث في المقالات
search-button = بحث
search-prompt = اكتب كلمة أو كلمتين للبحث في العناوين والوسوم والنص الكامل.
search-page-none = لا توجد مقالات تطابق «{ $query }».
search-page-count = { $count ->
    [one] مقالة واحدة تطابق «{ $query }».
    [two] مقالتان تطابقان «{ $query }».
    [few] { $count } مقالات تطابق «{ $query }».
   *[other] { $count } مقالة تطابق «{ $query }».
}
search-try = جرّب كلمات أقل أو مختلفة.
browse-all = تصفّح كل المقالات

## Listings
chips = التصنيفات
chip-all = الكل
listing-count = { $count ->
    [zero] لا مقالات
    [one] مقالة واحدة
    [two] مقالتان
    [few] { $count } مقالات
   *[other] { $count } مقالة
}
listing-count-category = { listing-count } في { $category }
listing-count-tags = { listing-count } موسومة بـ { $tags }
listing-count-category-tags = { listing-count } في { $category } موسومة بـ { $tags }
listing-empty = لا توجد مقالات تطابق هذا المرشّح.
listing-show-all = عرض كل المقالات
listing-unavailable = تعذّر تحميل المقالات. يُرجى المحاولة مرة أخرى.
page-title = { $title } — الصفحة { $page }
pagination = الصفحات
page-number = الصفحة { $page }
page-of = الصفحة { $page } من { $pages }
newer = → الأحدث
older = الأقدم ←
section-pages = الصفحات

## Cards and articles
tags = الوسوم
byline = بقلم
byline-and = و
reading-time = { $minutes ->
    [one] دقيقة واحدة للقراءة
    [two] دقيقتان للقراءة
    [few] { $minutes } دقائق للقراءة
   *[other] { $minutes } دقيقة للقراءة
}
read-more = اقرأ المزيد ←
read-more-label = اقرأ المزيد: { $title }
breadcrumb = مسار التنقل
home = الرئيسية
updated = حُدّث في
contents = المحتويات
table-of-contents = جدول المحتويات
post-nav = المقالة السابقة والتالية
related = مقالات ذات صلة
series-part = الجزء { $number } من { $count }:
copy = نسخ
copy-label = نسخ الشيفرة
copied = تم النسخ
copy-failed = تعذّر النسخ
article-unavailable = تعذّر تحميل هذه المقالة. يُرجى المحاولة مرة أخرى.

## Authors
author-description = مقالات { $name } على { $site }
author-website = الموقع الإلكتروني
author-feed = خلاصة Atom
author-articles = { $count ->
    [zero] لا مقالات
    [one] مقالة واحدة
    [two] مقالتان
    [few] { $count } مقالات
   *[other] { $count } مقالة
}
author-listing = مقالات { $name }
authors = المؤلفون

## The 404 page
not-found-title = الصفحة غير موجودة
not-found-text = لا توجد صفحة على هذا العنوان. ربما نُقلت، أو أن الرابط مكتوب بشكل خاطئ.
not-found-suggest = هل كنت تبحث عن إحدى هذه المقالات؟
not-found-search = أو ابحث باستخدام المربع أعلاه.
