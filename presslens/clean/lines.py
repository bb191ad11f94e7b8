"""Line-level rules: what one line of a page *is* (share button, promo, date, byline …).

Each rule is a small named function or pattern so the cleaner stays readable and a new
boilerplate family is one entry here. Rules look at the line's form and vocabulary only,
never at which site it came from. Vocabulary is English plus the commonest equivalents in
other languages where a rule would otherwise touch body text of those languages.
"""

from __future__ import annotations

import re
from datetime import datetime

from presslens.clean.byline import read_byline
from presslens.text import line_memo, script_tokens


def _rx(pattern: str, flags: int = re.I) -> re.Pattern:
    """Compile a pattern laid out over several lines: newlines and their indentation are layout only."""
    return re.compile(re.sub(r"\n\s*", "", pattern), flags)


SENTENCE_END = re.compile(r"""[.!?…。！？]["'”’»)\]]*$""")

SOCIAL = (
    r"facebook|twitter|linkedin|pinterest|telegram|e-?mail|reddit|whatsapp|instagram|"
    r"youtube|tiktok|flipboard|tumblr|messenger|pocket|vk|x|sms|copy link|print|rss|snapchat|threads"
)

_SHARE = _rx(
    rf"""^(?:share|tweet|pin( it)?|email|print|follow|like|subscribe)?\s*(?:on|via|to|us on)?\s*(?:{SOCIAL})\s*$
      |^(?:share|share (this|the) (article|story|post|page)|click to share|share this|shares?|
          tweet|comment|save|saved|print|
          follow us|follow|copy( link)?|link copied|email this|e-?mail|whatsapp|messenger)\b.{{0,40}}$
      |^(?:share|follow|tweet)\s+(?:on|us on|via)\b
      |^follow (?:us|@|\w+ on)\b.{{0,80}}$
      |^(?:follow|like|join)\b.{{0,60}}\b(?:on|at|via)\s+(?:{SOCIAL})\b.{{0,60}}$
      |^\d+\s*(?:shares?|comments?)$
    """,
    re.I,
)

_PROMO = _rx(
    r"""\b(?:subscribe|subscription|subscriber|newsletter|sign up|signup|sign-up|donate|donation|
         support us\b|support our (?:work|journalism|reporting|mission|newsroom|coverage)\b|
         support (?:\w+,? ){0,2}journalism|
         our readers support us|become a (?:member|supporter|patron)|
         we accept support|help us (?:to )?continue|unlimited (?:digital )?access|free trial|download (?:our|the) app|
         get the app|advertisement|advertise with us|sponsored content|paid content|promoted stories?|
         create (?:a|your) (?:free )?account|already a subscriber|log ?in to|register now|
         enjoyed this article|if you (?:enjoyed|liked|value) this|inbox|delivered to your|
         click here to (?:support|donate|subscribe|contribute)|
         support\ (?:\w+\ ){1,2}so\ (?:that\ )?we\ (?:can\ )?(?:continue|keep)|
         rely\ on\ (?:\w+\ ){1,2}(?:reporting|journalism|coverage)|
         follow\ us\ (?:on\ (?:twitter|facebook|instagram)|@)|
         join\ our\ [\w\ ]{0,30}(?:forums?|community)|get\ breaking\ [\w\ ]{0,30}news|click\ here\ to\ get\ the|
         thanks\ for\ watching|we['’]?d\ (?:like|love)\ to\ hear\ what\ you\ think|or\ listen\ back|
         at\ no\ cost\ to\ you|
         delivered\ (?:through|to)\ your\ (?:letterbox|door|mailbox)|\d+\ issues\ for|
         (?:^|(?<=[.!?,]\ ))follow\ (?:[\w.-]+\ ){0,2}on\ (?:twitter|facebook|instagram)|join\ the\ conversation\ on|
         (?:find|follow)\ (?:us|[\w.]+)\ online\ at|get\ (?:email|news|breaking\ news)\ alerts|
         listen\ to\ [\w\ ]{1,30}\ here|send\ (?:us\ )?your\ news\ tips|^report\ an\ error)\b""",
    re.I,
)

_RELATED_HEADING = _rx(
    r"""^(?:related(?:\s+(?:articles?|stories|news|posts?|content|coverage|topics|links|reading|videos?))?|
         more(?:\s+(?:stories|news|from\b.*|on\b.*|in\b.*|like this|to read|articles|videos?))?|
         don'?t miss(?: this| it)?|do not miss|read more|read next|read also|also read|see also|must read|
         recommended(?: for you| stories| articles| reading)?|you (?:may|might) (?:also )?like|
         you (?:may|might) also be interested in|trending(?: now| stories| today)?|most (?:popular|read|viewed|shared)|
         popular(?: now| stories| articles)?|latest(?: news| stories| articles| headlines| videos)?|top stories|
         further reading|in case you missed it|editor'?s picks|more from our network|around the web|
         what to read next|keep reading|up next|watch next|recent posts|recent articles|read these next|read this next|
         related roundup|more (?:top )?stories|top rated comments|popular (?:on|in) \w+|
         leia (?:também|mais)|veja também|lesen sie auch|mehr zum thema|читайте также|
         leggi anche|lee también|à lire aussi|baca juga|
         voc[êe] (?:também )?pode gostar(?: também)?|(?:también )?te puede interesar|
         das könnte (?:sie|dich|euch) auch interessieren|vous aimerez aussi|potrebbe interessarti|
         вам также может понравиться|
         (?:dir|ihnen|euch) könnte (?:auch )?gefallen|ähnliche (?:beiträge|artikel|themen)|weitere (?:artikel|beiträge)|
         auch interessant|(?:artículos|noticias|notas) relacionad[ao]s|(?:notícias|posts) relacionad[ao]s|
         articles? (?:similaires|liés)|sur le même sujet|à lire également|articoli correlati|
         lees ook|gerelateerde artikelen|czytaj (?:także|też)|zobacz (?:także|też)|похожие (?:статьи|новости)|
         berita terkait|artikel terkait|관련\s?기사|추천\s?기사|
         相关(?:文章|新闻)|相關(?:文章|新聞))\s*[:.!…»>-]*\s*$""",
    re.I,
)

_READ_MORE_INLINE = re.compile(
    r"^(?:read more|read also|also read|see also|related|more|don'?t miss|watch|listen|recommended|"
    r"leia também|veja também|lesen sie auch|читайте также|baca juga)\s*[:|>»-]\s*\S",
    re.I,
)

# a link to the outlet's own earlier or related report, labelled: "Previous coverage: Pair sought after 7 shot during
# NC Moose Lodge Christmas party", "RELATED STORY: GRAPHIC: Body cam video released …"; a headline, so no closing
# stop ("PREVIOUS STORY: Chattanooga Police responded to … Sunday morning." and the text under it stay)
_COVERAGE_LINK = re.compile(
    r"^(?:previous|prior|earlier|related|continuing|more)\s+(?:coverage|stor(?:y|ies)|reports?|articles?)"
    r"\s*[:|>»-]\s*\S.*(?<![.!?\"”’)])$",
    re.I,
)

# the same under a label in capitals ("EARLIER: 1 dead in Christmas killing at Mount Vernon club", "PHOTOS: …", "RAW
# VIDEO: …", "STORY: …", "TIMELINE: …"): a link's headline, so no closing full stop ("EARLIER: Police said …." stays)
_LABELLED_LINK = re.compile(
    r"^(?:PHOTOS?|IMAGES|VIDEOS?|RAW(?: VIDEO)?|PLAYLIST|READ|ALSO|EARLIER|PREVIOUSLY|STORY|TIMELINE|"
    r"RELATED (?:CONTENT|VIDEO|STORY|ARTICLE))\s*:\s*\S.*(?<![.])$"
)

# a whole line in brackets, a label in capitals, a colon, then the link's text: "[MORE: Mugshot roundup]"; an
# editor's own note on the article ("[UPDATE: …]", "[CORRECTION: …]") is the article's text
_BRACKETED_TEASER = re.compile(
    r"^\[(?!(?i:update|correction|clarification|editor'?s note|note)\b)[A-Z][A-Z0-9 .&'’/-]{0,24}:\s*[^\]\s][^\]]*\]$"
)

_COMMENTS = _rx(
    r"""^(?:(?:top\ rated\ |reader\ |show\ |view\ |load\ |write\ a\ |add\ a\ |post\ a\ |leave\ a\ )?
         (?:comments?|reply|replies)|
         \[?\s*\d+\s+comments?\s*\]?|rating:\ \d+\ votes?|join\ the\ (?:discussion|conversation)|
         comments\ are\ closed|be\ the\ first\ to\ comment|commenting\ (?:policy|guidelines))
        \s*[:.!…»>)\]-]*\s*(?:\(\d+\))?\s*$""",
    re.I,
)

_FOOTER = _rx(
    r"""(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\d{4})|all rights reserved|privacy (?:policy|notice|settings)|
         terms (?:of|and) (?:use|service|conditions)|cookie (?:policy|settings|preferences)|
         we use cookies|this (?:web)?site uses cookies|do not sell my|contact us|about us|ad choices|
         accessibility statement|site ?map)""",
    re.I,
)

_SYNDICATION = _rx(
    r"""(?:originally (?:appeared|published) (?:on|in|at)|
         (?:this|the) (?:story|article|post|piece|report|column) (?:was )?first (?:appeared|published) (?:on|in|at)|
         published from a (?:syndicated|wire) feed|not been edited by .{1,40}? staff|
         republished (?:with permission|from|under)|this (?:story|article) (?:was )?(?:produced|provided) by|
         \(?with inputs? from (?:agencies|\w+)\)?|reporting by \w|editing by \w|writing by \w|
         \bcontributed to this report\b)""",
    re.I,
)
_SYNDICATED_FROM = _rx(
    r"""(?:originally (?:appeared|published) (?:on|in|at)\s+(?:the\s+)?(?P<a>[\w.&' -]+?)(?:\s+read\b|[.,;(]|$)|
         edited by\s+(?P<b>[\w.&' -]+?)\s+staff|
         (?:syndicated|provided|produced) (?:by|from)\s+(?P<c>[A-Z][\w.&' -]+?)(?:[.,;)]|$))""",
    re.I,
)
WIRES = {
    "AP": "Associated Press",
    "Associated Press": "Associated Press",
    "Reuters": "Reuters",
    "AFP": "AFP",
    "Agence France-Presse": "AFP",
    "PTI": "PTI",
    "IANS": "IANS",
    "ANI": "ANI",
    "UPI": "UPI",
    "DPA": "dpa",
    "Bloomberg": "Bloomberg",
    "Xinhua": "Xinhua",
    "Yonhap": "Yonhap",
    "KCNA": "KCNA",
    "TASS": "TASS",
    "EFE": "EFE",
    "ANSA": "ANSA",
}
_WIRE_CREDIT = re.compile(r"^\(?(?P<w>" + "|".join(map(re.escape, WIRES)) + r")\)?\s*(?:[—–-]|$)")

_CAPTION = _rx(
    r"""^(?:above|below|pictured|photo|image|picture|video|file photo|caption|credit|photograph|illustration|
          image credit|photo credit|photo by|photograph by|foto|bild|фото)\s*[:|]
      |^(?:image|media|video)\ caption\s+\S
      |\((?:file|file photo|representational(?: image)?|representative image|photo|image|getty images|afp|ap|reuters|
          ap photo[^)]*|afp via getty images|shutterstock|istock|screenshot|screengrab)\)\s*\.?$
      |(?:getty images|shutterstock|istockphoto|ap photo|afp photo|reuters/[\w ]+|
          photo credit|image credit)\s*[)\]]?\s*$
      |^(?:image|photo|picture)\s+(?:\d+\s+)?(?:of|/)\s+\d+""",
    re.I,
)

_INTERFACE = _rx(
    r"""^(?:you\ must\ enter\ the\ characters\b|enter\ the\ characters\ (?:shown|you\ see)\b|
         (?:please\ )?(?:enable|turn\ on)\ javascript\b|(?:this|the)\ (?:slideshow|video|player|content|page)
           \ requires\ (?:javascript|flash|the\ latest)\b|
         you\ need\ (?:the\ latest\ version\ of\ )?(?:the\ )?adobe\ flash\ player\b|
         having\ trouble\ (?:viewing|watching|playing)\ (?:the|this)\ video\b|
         your\ browser\ (?:does\ not|doesn['’]t)\ support\b|
         already\ have\ an\ account\b|don['’]t\ have\ an\ account\b|forgot\ (?:your\ )?password\b|
         welcome\ back[.!,]?\ (?:please\ )?(?:sign|log)\ in\b|
         (?:sign|log)\ in\ (?:using|with)\ (?:your|you)\b|
         click\ on\ the\ button\ below\ to\ (?:set\ up|create)\ your\ account\b|
         we\ look\ forward\ to\ seeing\ you\b.{0,40}\bsign\ in\b|
         (?:jump\ to\ recipe\ ?)?print\ recipe$|jump\ to\ recipe$|
         (?:close\ )?get\ email\ notifications\ on\ .{1,80}\ daily!?$|your\ notification\ has\ been\ saved\b|
         there\ was\ a\ problem\ saving\ your\ notification\b|email\ notifications\ are\ only\ sent\ once\b|
         we\ have\ sent\ you\ a\ verification\ email\b|
         if\ you\ do\ not\ receive\ the\ verification\ (?:message|email)\b|just\ one\ more\ thing(?:\.\.\.|…)$|close$|
         embed\ .{1,160}\bcopy\ this\ code\ to\ your\ (?:website|site|blog)\b|
         (?:of\ )?autoplay\ (?:pause\ )?show\ thumbnails\b|
         jetzt\ (?:registrieren|anmelden)$|bitte\ aktivieren\ sie\ javascript\b|
         empfohlener\ redaktioneller\ inhalt$|
         thank\ you\ for\ registering\b|you\ are\ the\ owner\ of\ this\ article\b|
         we\ have\ sent\ a\ confirmation\ email\b|click\ here\ to\ return\ to\ the\ page\ you\ were\ visiting\b|
         why\ are\ we\ asking\ this\?$|oops,\ you\ haven['’]t\ selected\ any\ newsletters\b|
         when\ you\ tweet\ with\ a\ location\b|add\ a\ location\ to\ your\ tweets$|click\ here\ for\ reuse\ options\b|
         scroll\ down\ for\ video$|on\ a\ mobile\ device\?\ watch\ the\ video\ here\b|
         \d+\ of\ \d+\ (?:premium\ clicks?|free\ articles?)\ used\ this\ month$)""",
    re.I,
)
INTERFACE_MAX_WORDS = 40  # the site's own controls and notices are short; a sentence about a login is news


_NAV_ITEM = r"""(?:home|menu|search|news|sections?|topics?|categories|subscribe|sign in|log ?in|log ?out|register|
         my account|skip to (?:main )?content|skip navigation|toggle navigation|close|open|back to top|next|previous|
         prev|english|edition|international|español|more|all|latest|video|videos|photos|podcasts?|opinion|world|
         business|sports?|politics|tech(?:nology)?|science|health|entertainment|lifestyle|culture|travel|weather|
         you are here|breadcrumb|page \d+|\d+ of \d+|loading|advertisement|ad|ads)"""
_NAV_WORDS = _rx(rf"^{_NAV_ITEM}\s*[:>|»]*$", re.I)
# a site menu copied as one line: "Home  News  Sport", "Home | World | Business"
_MENU_LINE = _rx(rf"^{_NAV_ITEM}(?:\s*[|·•/»>]?\s*{_NAV_ITEM})+\s*[:>|»]*$", re.I)

_MASTHEAD_STAFF = _rx(
    r"""^(?:supervisor|editor[- ]in[- ]chief|chief editor|managing editor|executive editor|publisher|founder|
         chairman|board chairman|editor|deputy editor)\b[\s:,-]*[\w.' -]{2,60}$""",
    re.I,
)

_BYLINE = _rx(
    r"""^(?:by|written by|words by|story by|reported by|von|por|par|di|oleh|автор)[:\s]+
        (?P<name>[^\d|•·,;]{2,80}?)(?:\s*(?:[|•·,;]|\s[-–—]\s|\bupdated\b|\bpublished\b|\bposted\b|\bon\b\s+\w+\s+\d|$).*)?$""",
    re.I,
)

MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_PATTERNS = [
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)[-/.](?P<mnum>\d{1,2})[-/.](?P<day>\d{1,2})\b"),
    re.compile(r"\b(?P<day>\d{1,2})[./](?P<mnum>\d{1,2})[./](?P<year>(?:19|20)\d\d)\b"),
    # Japanese and Chinese 2026年3月3日, Korean 2026년 3월 3일
    re.compile(r"\b(?P<year>(?:19|20)\d\d)\s*[年년]\s*(?P<mnum>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일]"),
]
_TIME = re.compile(r"\b(?P<h>\d{1,2}):(?P<m>\d\d)(?::\d\d)?\s*(?P<ampm>[ap]\.?m\.?)?", re.I)
_DATE_LINE_WORDS = re.compile(
    r"^(?:published|updated|posted|last updated|modified|date|on|at|publicado|atualizado|veröffentlicht|aktualisiert|"
    r"mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.I,
)

_DATELINE = _rx(
    r"""^(?P<place>[A-Z][A-Za-z.'’-]+(?:[ ,]+[A-Z][A-Za-z.'’-]+){0,3})
        (?:\s*,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}))?
        (?:\s*\((?P<wire>[A-Za-z. ]{2,30})\))?\s*(?:[:—–]|\s-\s|--)\s*""",
    0,
)


def ends_sentence(line: str) -> bool:
    return bool(SENTENCE_END.search(line.strip()))


# "Read or Share this story: http://on.wwltv.com/1UWeYBy" (Gannett's sites: 122 GVA dev pages), however long its link
_SHARE_LINK = re.compile(r"^(?:read or )?share this (?:article|story|post|page)\s*:?\s*https?://\S+$", re.I)
# a headline and its summary run into the share button after them (Hearst's stations): "Baby shot by 4-year-old
# brother; no charges expected, sheriff says Shooting ruled accidental | Share"
_SHARE_AFTER_HEADLINE = re.compile(r"\s\|\s*Share$")
SHARE_HEADLINE_MAX_CHARS = 250


def is_share(line: str) -> bool:
    stripped = line.strip()
    return (
        (len(line) < 120 and bool(_SHARE.search(stripped)))
        or bool(_SHARE_LINK.match(stripped))
        or (len(stripped) < SHARE_HEADLINE_MAX_CHARS and bool(_SHARE_AFTER_HEADLINE.search(stripped)))
    )


_REPORTED_SPEECH = re.compile(
    r"[\"“”]\s*,?\s*(?:\w+\s+){0,4}(?:said|says|told|added|wrote|asks|asked)\b"
    r"|\b(?:said|says|told|asks|asked)\s*,?\s*[\"“]",
    re.I,
)


_ADDRESSES_READER = re.compile(
    r"\b(?:you|your|yours|our|us|we)\b|^\W*(?:subscribe|sign|donate|support|become|get|download|join|register|"
    r"create|log|help|click|enjoyed|already)\b|\b(?:subscribe|sign up|join|donate|register) (?:now|today|here)\b",
    re.I,
)
# The writer's contact line under a story: "Have a tip? Jane Roe may be reached at …", "Email
# Jane Roe at jroe@… or follow her @jroe".
_AUTHOR_CONTACT = _rx(
    r"""(?:^have\ a\ (?:news\ )?tip\?|(?:may|can)\ be\ reached\ at\ \S+@|
         ^email\ (?-i:(?:[A-Z][\w'-]+\ ){1,3})at\ \S+@|
         follow\ (?:him|her|them|me)\ (?:on\ (?:twitter|facebook|instagram)|@))"""
)
# a reporter's contact under the story's body: "Contact Jane Roe at (302) 555-0199, jroe@…", or a line of only
# addresses, numbers and handles, a name before them ("jroe@example.com", "Clay Neely: clay@…, @clayneely",
# "(313) 222-2058", "twitter.com/rectorsun")
_CONTACT_ITEM = r"""(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}|@\w{2,}|
         (?:https?://)?(?:www\.)?twitter\.com/\w+)"""
_CONTACT_LINE = _rx(
    rf"""(?:^contact\ (?-i:[A-Z][\w'-]+(?:\ [A-Z][\w'-]+){{0,2}})(?:\ at\ |:\ ?){_CONTACT_ITEM}|
         ^(?-i:(?:[A-Z][\w.'-]+\ ){{0,3}}[A-Z][\w.'-]+:\ )?{_CONTACT_ITEM}
         (?:\s*(?:,|\||/|or|and)?\s*{_CONTACT_ITEM})*\.?$)"""
)
CONTACT_LINE_MAX_CHARS = 250


def is_contact_line(line: str) -> bool:
    """A reporter's contact line in the body: only addresses, numbers and handles, or "Contact <name> at/:" them."""
    stripped = line.strip()
    return len(stripped) < CONTACT_LINE_MAX_CHARS and bool(_CONTACT_LINE.search(stripped))


# a station's call to follow its coverage or get its app, however long: "Stay with Channel 4 and WSMV.com for updates
# on this story.", "Stay tuned to delawareonline.com for more updates", ">>Download the WESH 2 News app for iOS and
# Android", "Never miss another Facebook post from 8News", "Get the latest from WMC Action News 5 anytime: iPhone | …"
_STATION_PROMO = _rx(
    r"""^(?:>>\s*)?(?:stay\ (?:with|tuned\ to)\ [\w.&\ ]{2,40}\ (?:for|and)\b|
         (?:download|install|get)\ (?:the\ |our\ )?(?:free\ )?[\w.&\ ]{0,30}\bapps?\b|
         (?:never|don['’]t)\ miss\ (?:another|a\ thing)\b|refresh\ [\w.]+\ and\ our\ app\b|
         get\ the\ latest\ from\ [\w.&\ ]{2,40}\ anytime\b|free\ apps\b)""",
)
PROMO_SHORT_WORDS = 12  # a short line with a promo word is a button or a banner ("Newsletter", "Free trial")


def is_promo(line: str) -> bool:
    """A subscription, donation or sign-up appeal (a short banner, or a line that speaks to the
    reader), a station's call to follow its coverage or get its app, or the writer's contact line under the story.

    A sentence that reports on subscribers or subscriptions in the third person ("the company
    continued to sign up subscribers"), or a quotation someone is reported to have said, is news.
    """
    if len(line) >= 400:
        return False
    stripped = line.strip()
    any_length = bool(_AUTHOR_CONTACT.search(stripped) or _STATION_PROMO.match(stripped))  # a promo however long
    if not any_length and not _PROMO.search(line):
        return False  # most lines: the reported-speech test is left for the few that look like an appeal
    if _REPORTED_SPEECH.search(line):
        return False
    return any_length or len(script_tokens(line)) <= PROMO_SHORT_WORDS or bool(_ADDRESSES_READER.search(line))


@line_memo
def is_related_heading(line: str) -> bool:
    return len(line) < 60 and bool(_RELATED_HEADING.match(line.strip()))


def is_inline_teaser(line: str) -> bool:
    """'READ MORE: Some other headline' style links between paragraphs ("Previous coverage: …" too), or the same in
    brackets under a capitals label ("[MORE: …]", "[PREVIOUS STORY: …]", "[PHOTOS: …]")."""
    stripped = line.strip()
    return len(line) < 250 and bool(
        _READ_MORE_INLINE.match(stripped)
        or _BRACKETED_TEASER.match(stripped)
        or _COVERAGE_LINK.match(stripped)
        or _LABELLED_LINK.match(stripped)
    )


# A teaser card copied from a browser: its headline glued to its summary with no space
# ("Detroit's 5 Best Spots For DessertsNeed more desserts in your life? …"). A run of
# title-case words ends in a letter or "?!." and a capitalised word follows at once, then
# a sentence (camel-case names such as "AirPods Pro" or "McAllen" are not teasers).
_GLUED_CAPITAL = re.compile(r"(?<=[^\W\d_]{3}|..[?!.])(?<!Mac)(?<!Mc)([A-Z][a-z]+)(?=\s+\S+\s+\S+\s+\S+)")
_TITLE_SMALL_WORDS = frozenset("a an the of to in on for and or at by with is as from vs".split())


# A teaser card whose headline runs into its lead's dateline: "Lankan president accepts invitation
# to visit Pakistan COLOMBO: Newly-elected Sri Lankan …" (an article's own first line starts with
# the dateline).
_DATELINE_TEASER = re.compile(
    r"^(?=(?:\S+\s+){3})[^:]{15,200}?[\w’”')]\s+[A-Z]{2,}(?:[ .-][A-Z]{2,}){0,2}:\s+[A-Z][a-z]"
)


@line_memo
def is_glued_teaser(line: str) -> bool:
    """A headline run straight into the next sentence: how teaser cards read in a text dump."""
    stripped = line.strip()
    if _DATELINE_TEASER.match(stripped):
        return True
    for match in _GLUED_CAPITAL.finditer(stripped[:160]):
        prefix = stripped[: match.start()]  # ends in a letter or "?!." (the pattern's look-behind)
        if len(prefix) < 15:
            continue
        head = [w for w in re.findall(r"[^\W\d_][\w'’-]*", prefix) if w.lower() not in _TITLE_SMALL_WORDS]
        after = stripped[match.start() :].split()[:8]  # a sentence follows, not more title ("AirPods Pro")
        if (
            len(head) >= 3
            and sum(1 for w in head if w[0].isupper()) >= 0.8 * len(head)
            and sum(1 for w in after if w[:1].islower()) >= 3
        ):
            return True
    return False


# The heading of an author's (or the publisher's) bio box below an article: "About Jane Doe",
# "Über Moritz Bachmann", "Sobre Carlos Nadalim", "About the author".
_BIO_HEADING = re.compile(
    r"^(?:About|Über|Sobre|À propos de|Acerca de|Informazioni su|Tentang)\s+"
    r"(?:(?P<author>the\s+author|(?:den|die|o|a|el|la|l'|il)\s*autor[ae]?|l'auteur|l'autore)"
    r"|(?P<name>[A-ZÀ-Ý][\w.'’&-]+(?:\s[A-ZÀ-Ý][\w.'’&-]+){0,3}))\s*:?$",
    re.I,
)


def bio_heading(line: str) -> str | None:
    """For a bio-box heading, the name it introduces ("" for "About the author"); else None."""
    match = _BIO_HEADING.match(line.strip())
    if not match:
        return None
    name = match.group("name")
    if name and not all(w[:1].isupper() for w in name.split()):
        return None
    return "" if match.group("author") else name


# A press release's closing company profile, with or without its "About X" heading: "Ascom is a
# global solutions provider focused on …", "X is headquartered in Baar, has subsidiaries in …".
_COMPANY_PROFILE = re.compile(
    r"^(?:[A-Z][\w&.’-]*\s?){1,4} (?:is|are) (?:a|an|the) (?:[\w’-]+ ){0,6}"
    r"(?:provider|company|manufacturer|supplier|leader|organi[sz]ation|firm|group|developer)\b"
    r"|\bis headquartered in\b.*\b(?:employs|subsidiaries|offices)\b"
)
PROFILE_MIN_WORDS = 20


def is_company_profile(line: str) -> bool:
    return len(script_tokens(line)) >= PROFILE_MIN_WORDS and bool(_COMPANY_PROFILE.search(line.strip()))


# "Subjects: Crime, Drugs", "Edited by: Jane Roe", "Tags: Alibaba", "Filed under: …": a
# labelled field of the page's metadata, not a sentence of the article.
_META_FIELD = re.compile(
    r"^(?:researched by|edited by|reported by|written by|fact[- ]checked by|subjects?|tags?|keywords|filed under|"
    r"categories|category|topics|schlagworte|tema|temas|теги|рубрика)\s*:",
    re.I,
)
META_FIELD_MAX_WORDS = 25
# "Sources:" / "References:" alone on a line: the bibliography that closes a fact-check or a
# report, which lists the sources but is not the article.
_SOURCES_HEADING = re.compile(r"^(?:sources?|references|bibliography|quellen|fontes|fuentes|источники)\s*:?\s*$", re.I)


def is_meta_field(line: str) -> bool:
    return bool(_META_FIELD.match(line.strip())) and len(script_tokens(line)) <= META_FIELD_MAX_WORDS


def is_sources_heading(line: str) -> bool:
    return bool(_SOURCES_HEADING.match(line.strip()))


@line_memo
def is_comments(line: str) -> bool:
    return len(line) < 80 and bool(_COMMENTS.match(line.strip()))


def is_footer(line: str) -> bool:
    return len(line) < 250 and bool(_FOOTER.search(line))


def is_syndication(line: str) -> bool:
    return len(line) < 300 and bool(_SYNDICATION.search(line))


# Credits closing a caption, case-sensitive (so "(km/h)" and "(and/or)" are not): a photographer
# and agency, "(Manu Fernandez/AP)", "(Elias Funez/The Union via AP)", "(Reed Saxon / Associated
# Press)"; "… a rabbit Credit: Getty - Contributor", "(Image: GETTY )", "(Photo by Kevin Mazur/Getty
# Images for X)", "… Jaafar ASHTIYEH / AFP", "Credit... Jane Roe/The Times", "… at the Capitol.CreditJane
# Roe/Reuters" (the Times' credit glued to its caption in a copied page), "[File: Reuters]"; a
# credit line of its own, "Michael Conroy, AP", "Amy K. Dragoo/AIMMEDIA"; a credit after a bar that closes a
# caption's sentence, "… on the Far South Side. | Sam Charles / Sun-Times", "… late Friday. | NVP News", or a
# courtesy after a slash, "… in New Orleans / Courtesy: The Advocate"; a caption that opens with its credit, "(AP
# Photo/Gerald Herbert). Friends and relatives of …"; and the "… more" / "less" toggle some sites add to a caption.
_CREDIT_END = re.compile(
    r"\((?:[A-Z][\w.'’-]*\s?){1,5}/\s?(?:[A-Z][\w.'’&-]*\s?){1,6}(?:via\s+[\w ]{2,20})?\)\s*\.?$"
    r"|\bCredit:\s*[^.!?]{2,40}$"
    r"|\((?i:image|photo|picture|foto|bild)(?i: credit)?\s*:[^)]{2,60}\)\s*$"
    r"|\((?i:photos?|images?|pictures?) by [^)]{2,80}\)\s*\.?$"
    r"|\s[A-Z]{2,}\s?/\s?(?:AFP|AP|EPA|Reuters)$"
    r"|\bCredit(?:\.{2,3}|…)\s*\S.{0,60}$"
    r"|[.!?”’\"]\s*Credit(?:[A-Z][\w.'’-]*\s?){1,4}(?:/\s?(?:[A-Z][\w.'’&-]*\s?){1,4}|for The New York Times)$"
    r"|\[(?:File|Photo|Image|Reuters|AP|AFP|Getty|EPA)\b[^\]]{0,60}\]\s*\.?$"
    r"|^(?:[A-Z][\w.’-]*\s){1,3}[A-Z][\w.’-]*\s?[,/]\s?(?:AP|AFP|Reuters|Getty Images|EPA|[A-Z]{4,})$"
    r"|[.!?”\"’]\s+\|\s*(?:[A-Z][\w.'’-]*\s?){1,4}(?:/\s?(?:[A-Z][\w.'’&-]*\s?){1,3})?$"
    r"|\s(?:/|\|)\s*(?i:courtesy)(?::|\s+of)\s+[^.!?/|]{2,50}$"
    r"|^\((?:[A-Z][\w.]*\s)?(?:Photo|Image|File)\s?/\s?[^)]{2,50}\)"
    r"|(?:\. less|\.\.\. more)$"
)
# A news photo's caption in wire style names the weekday and the full date ("… speaks during a
# campaign stop, Tuesday, Nov. 19, 2019, in Columbia, S.C."); a story says "on Tuesday".
_WIRE_PHOTO_DATE = re.compile(
    r"(?<!Published )(?<!Updated )(?<!Posted )\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? "
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, (?:19|20)\d{2}\b"
)
CAPTION_DATE_MIN_WORDS = 10


def is_caption(line: str) -> bool:
    stripped = line.strip()
    if len(line) >= 400:
        return False
    if _CAPTION.search(stripped) or _CREDIT_END.search(stripped):
        return True
    return (
        bool(_WIRE_PHOTO_DATE.search(stripped))
        and not stripped.startswith("(")
        and len(script_tokens(stripped)) >= CAPTION_DATE_MIN_WORDS
        and not is_date_line(stripped)
    )


# a video player's playlist item: its running time, then another story's title ("1:49 Grandmother says she still
# can't believe her grandson is dead"), not a time of day ("3:30 p.m. March 15, 2016 UPDATE:")
_VIDEO_ITEM = re.compile(r"^\d{1,2}:[0-5]\d\s+(?![AaPp]\.?[Mm]\b)[A-Z\"“‘'0-9]")


def is_video_item(line: str) -> bool:
    """A line that opens with a video's running time and a title: an item of a playlist (another story's video)
    when its neighbours are items too (:func:`presslens.clean.cleaner.in_video_playlist`)."""
    return bool(_VIDEO_ITEM.match(line.strip()))


# a photo gallery's or video player's controls, which a captured page runs together with the captions of every photo
# or video ("Photo: … Image 1 of / 33 Caption Close Image 1 of 33 … 1 / 33 Back to Gallery", Gannett's "CLOSE Skip in
# Skip x Embed x Share A shooting on the city's Northside … | 1:00 …"), and Gannett's photo caption under its "Buy
# Photo" button ("Buy Photo Police close off a scene of a crime. (Photo: …)Buy Photo"): no article says these words
_MEDIA_BLOCK = re.compile(
    r"\bCaption Close\b|\bBack to Gallery\s*$|\bSkip in Skip x Embed x Share\b|\bLast VideoNext Video\b"
    r"|^Buy Photo\b|\)\s?Buy Photo$"
)


def is_media_block(line: str) -> bool:
    """A photo gallery's or video player's block (its controls and captions run together), however long, or a photo's
    caption under its "Buy Photo" button."""
    return bool(_MEDIA_BLOCK.search(line.strip()))


def is_interface(line: str) -> bool:
    """A line of the site's interface inside the page: a captcha's instructions, a sign-in prompt, an account
    verification or follow-the-author notice, a dialog's "Close", a video player's notice ("Please enable JavaScript
    to watch this video") or embed prompt, a recipe's print button, a paywall's meter ("1 of 3 Premium Clicks used
    this month"). It is no one's sentence."""
    return len(script_tokens(line)) <= INTERFACE_MAX_WORDS and bool(_INTERFACE.search(line.strip()))


def is_nav_word(line: str) -> bool:
    return bool(_NAV_WORDS.match(line.strip()))


def is_menu_line(line: str) -> bool:
    """Two or more menu words on one line ("Home  News  Sport"): a site menu, never a headline."""
    return bool(_MENU_LINE.match(line.strip()))


def is_masthead_staff(line: str) -> bool:
    return len(script_tokens(line)) <= 8 and bool(_MASTHEAD_STAFF.match(line.strip()))


def syndication_source(line: str) -> str | None:
    """The outlet a syndication note names ("originally appeared on Ndtv.com" -> "Ndtv.com")."""
    match = _SYNDICATED_FROM.search(line)
    if not match:
        return None
    name = next(g for g in match.groups() if g).strip(" .")
    return name or None


def wire_credit(line: str) -> str | None:
    """A wire agency credited at the start of a paragraph: "(Reuters) — ..." -> "Reuters"."""
    match = _WIRE_CREDIT.match(line.strip())
    return WIRES[match.group("w")] if match else None


def parse_date(line: str) -> datetime | None:
    """First calendar date in ``line`` (with its time when one follows), or None."""
    for pattern in _DATE_PATTERNS:
        match = pattern.search(line)
        if not match:
            continue
        parts = match.groupdict()
        month = MONTHS[parts["mon"].lower()] if parts.get("mon") else int(parts["mnum"])
        try:
            when = datetime(int(parts["year"]), month, int(parts["day"]))
        except ValueError:
            continue
        tm = _TIME.search(line, match.end())
        if tm and tm.start() - match.end() < 20:
            hour = int(tm.group("h"))
            ampm = (tm.group("ampm") or "").lower().replace(".", "")
            if ampm == "pm" and hour < 12:
                hour += 12
            if ampm == "am" and hour == 12:
                hour = 0
            if hour < 24:
                when = when.replace(hour=hour, minute=int(tm.group("m")))
        return when
    return None


# The credit under an embedded social post: "— Jane Doe (@janedoe) November 18, 2019" or
# "A post shared by Jane Doe (@janedoe) on Nov 18, 2019". The post is quoted material of the
# article (a source speaking), and the date is the post's, not the article's.
EMBED_CREDIT = _rx(
    r"""^(?:[—–-]\s*|a\ post\ shared\ by\s+)
    .{1,80}?\(@[\w.]{1,30}\)\s*(?:on\s+)?
    (?:[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[a-z]{3,9}\.?\s+\d{4})
    (?:\s+at\s+[\d:]+\s*[ap]\.?m\.?(?:\s+[a-z]{2,4})?)?\s*$""",
    re.I | re.X,
)


@line_memo
def is_embed_credit(line: str) -> bool:
    return bool(EMBED_CREDIT.match(line.strip()))


# a live story's update stamp on a line of its own: "UPDATE @ 2:38 p.m.", "UPDATED AT 3:05PM", "Update 1:30 p.m.:",
# "UPDATE @ 12:30 p.m. (May 4)"
_UPDATE_STAMP = _rx(
    r"^\W*(?:update|updated)\s*(?:@|at|:|-|—|–)?\s*\d{1,2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?)?\s*(?:[a-z]{2,4})?"
    r"\s*(?:\((?:[a-z]{3,9}\.?\s+\d{1,2}(?:,\s*\d{4})?|[a-z]{6,9}day)\))?\s*[:.\-—]?\s*$",
    re.I,
)


def is_update_stamp(line: str) -> bool:
    """A live story's update time on a line of its own, its day maybe in brackets: when, not what (a report listed
    "UPDATE @ 2:38 p.m." as a fact only one outlet reported). :func:`is_date_line` does not read it."""
    return bool(_UPDATE_STAMP.match(line.strip()))


@line_memo
def is_date_line(line: str) -> bool:
    """A line that is mostly a date ("Sun 23 Jun 2024 | 11:20 PM", "Updated: Nov 3, 2019")."""
    stripped = line.strip()
    if len(stripped) > 90 or parse_date(stripped) is None or is_embed_credit(stripped):
        return False
    rest = stripped
    for pattern in _DATE_PATTERNS + [_TIME]:
        rest = pattern.sub(" ", rest)
    rest_words = [w for w in script_tokens(rest) if not w.isdigit()]
    return len(rest_words) <= 4 or bool(_DATE_LINE_WORDS.match(stripped))


@line_memo
def parse_byline(line: str) -> str | None:
    """The authors named by a byline ("By Jane Doe | Reuters" -> "Jane Doe"; "By Jane Doe and John Roe" ->
    "Jane Doe; John Roe"), "" for a byline naming no person, None for a line that is not a byline."""
    match = _BYLINE.match(line.strip())
    if not match:
        return None
    name = match.group("name").strip(" .,-")
    if not name or len(script_tokens(name)) > 8 or ends_sentence(line) and len(script_tokens(line)) > 12:
        return None
    return read_byline(name).author or ""  # a byline all the same ("By Staff Reporter"), naming nobody


def is_date_or_byline(line: str) -> bool:
    """A date line or a byline: the lines of an article's header."""
    return is_date_line(line) or parse_byline(line) is not None


def looks_like_name(line: str) -> bool:
    """A short line that could be an author's name or handle ("H-Tayea", "Jane Doe")."""
    stripped = line.strip()
    tokens = stripped.split()
    if not 1 <= len(tokens) <= 4 or len(stripped) > 40 or SENTENCE_END.search(stripped):
        return False
    if is_nav_word(stripped) or parse_date(stripped):
        return False
    return all(t[:1].isupper() or t.startswith("@") for t in tokens) and any(c.isalpha() for c in stripped)


def dateline(line: str) -> tuple[str, str] | None:
    """Split a dateline from the start of a paragraph: "SEOUL (Reuters) - Text" -> ("Seoul", "Text").

    A standalone "Seoul:" line is a dateline too (its text part is empty). Only accepted when
    the place is in capitals or the line is the bare place, so "However: ..." is not a place.
    """
    stripped = line.strip()
    match = _DATELINE.match(stripped)
    if not match:
        return None
    place = match.group("place").strip(" ,")
    rest = stripped[match.end() :].strip()
    bare = not rest and stripped.endswith(":") and len(script_tokens(place)) <= 3
    shouting = place.isupper() and len(place) >= 3
    if not (bare or (shouting and rest)):
        return None
    return place.title() if shouting else place, rest


def author_beside_date(line: str) -> str | None:
    """A name sharing a line with the date ("Chris Davies - Nov 19, 2019, 10:31 pm CST")."""
    rest = line
    for pattern in [*_DATE_PATTERNS, _TIME]:
        rest = pattern.sub(" ", rest)
    rest = re.sub(
        r"\b(?:published|updated|posted|on|at|by|[A-Z]{2,4}T|GMT|UTC|mon|tue|wed|thu|fri|sat|sun)\b",
        " ",
        rest,
        flags=re.I,
    )
    rest = re.sub(r"[|•·,\-–—]+", " ", rest).strip()
    rest = re.sub(r"\s+", " ", rest)
    if rest and looks_like_name(rest) and len(rest.split()) >= 2:
        return read_byline(rest).author
    return None


_WIRE_COPYRIGHT = re.compile(
    r"(?:©|copyright)\s*(?:\d{4}\s*)?(?:the\s+)?(?P<w>" + "|".join(map(re.escape, WIRES)) + r")\b", re.I
)


def wire_copyright(line: str) -> str | None:
    """A wire agency's copyright line ("© 2019 Associated Press. All Rights Reserved.") -> the agency."""
    match = _WIRE_COPYRIGHT.search(line)
    if not match:
        return None
    name = next((v for k, v in WIRES.items() if k.lower() == match.group("w").lower()), None)
    return name
