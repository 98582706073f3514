/**
 * Free / personal mailbox providers.
 *
 * The npm package `free-email-domains` cannot be installed in this project, so this is a curated list written
 * by hand (about 190 domains): global webmail, regional webmail (China, Korea, Japan, Russia, CEE, DACH,
 * France, Italy, Iberia, LatAm, India, Israel), privacy mail and large consumer ISP mailboxes (comcast.net,
 * btinternet.com...) — an address on any of them is a personal address, not a company one. Brand families
 * that exist under many country TLDs (yahoo.*, hotmail.*, outlook.*, live.*, gmx.*, yandex.*, aol.*) are
 * matched by their registrable domain's first label, e.g. yahoo.co.uk, gmx.at, yandex.com.tr.
 */

import { registrableDomain } from "./domain";

/** Providers matched by exact domain. */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  // Global webmail
  "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "passport.com",
  "windowslive.com", "yahoo.com", "ymail.com", "rocketmail.com", "aol.com", "aim.com", "icloud.com", "me.com",
  "mac.com", "zoho.com", "zohomail.com", "zohomail.eu", "zohomail.in", "mail.com", "email.com", "usa.com",
  "post.com", "consultant.com", "myself.com", "europe.com", "engineer.com", "asia.com", "dr.com", "gmx.com",
  "inbox.com", "lycos.com", "excite.com", "hey.com", "duck.com", "fastmail.com", "fastmail.fm", "hushmail.com",
  "runbox.com", "mailfence.com", "startmail.com", "posteo.net",
  // Privacy mail
  "proton.me", "protonmail.com", "protonmail.ch", "pm.me", "tutanota.com", "tutanota.de", "tutamail.com",
  "tuta.io", "tuta.com", "keemail.me", "skiff.com", "disroot.org", "riseup.net", "vivaldi.net",
  // China
  "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn", "sohu.com", "aliyun.com",
  "139.com", "189.cn", "wo.cn", "tom.com", "21cn.com", "vip.qq.com", "vip.163.com", "vip.sina.com",
  // Korea, Japan, Taiwan, India, South-East Asia
  "naver.com", "daum.net", "hanmail.net", "nate.com", "kakao.com", "docomo.ne.jp", "ezweb.ne.jp",
  "au.com", "softbank.ne.jp", "i.softbank.jp", "nifty.com", "biglobe.ne.jp", "ocn.ne.jp", "rediffmail.com",
  "rediff.com", "sify.com", "pchome.com.tw", "hinet.net",
  // Russia, Ukraine, Belarus, Baltics
  "mail.ru", "inbox.ru", "list.ru", "bk.ru", "internet.ru", "ya.ru", "rambler.ru", "lenta.ru", "ukr.net",
  "i.ua", "meta.ua", "tut.by", "inbox.lv", "inbox.lt", "mail.ee",
  // DACH
  "web.de", "t-online.de", "freenet.de", "arcor.de", "posteo.de", "mailbox.org", "mail.de", "online.de",
  "bluewin.ch", "gmx.ch", "hispeed.ch", "aon.at", "chello.at",
  // France, Benelux
  "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "sfr.fr", "neuf.fr", "bbox.fr", "club-internet.fr",
  "numericable.fr", "telenet.be", "skynet.be", "proximus.be", "ziggo.nl", "kpnmail.nl", "planet.nl",
  "home.nl", "hetnet.nl", "xs4all.nl", "chello.nl",
  // Italy, Iberia
  "libero.it", "virgilio.it", "alice.it", "tiscali.it", "tin.it", "email.it", "fastwebnet.it", "sapo.pt",
  "telefonica.net", "terra.es", "ono.com",
  // Central and Eastern Europe, Nordics
  "seznam.cz", "email.cz", "centrum.cz", "post.cz", "atlas.cz", "volny.cz", "wp.pl", "o2.pl", "onet.pl",
  "interia.pl", "op.pl", "tlen.pl", "gazeta.pl", "poczta.onet.pl", "azet.sk", "zoznam.sk", "centrum.sk",
  "citromail.hu", "freemail.hu", "abv.bg", "mail.bg", "net.hr", "telia.com", "online.no", "suomi24.fi",
  // Latin America
  "uol.com.br", "bol.com.br", "terra.com.br", "ig.com.br", "globo.com", "prodigy.net.mx", "terra.com.mx",
  "speedy.com.ar", "fibertel.com.ar",
  // UK, Ireland, Oceania, Africa, Middle East
  "btinternet.com", "sky.com", "virginmedia.com", "ntlworld.com", "talktalk.net", "blueyonder.co.uk",
  "eircom.net", "bigpond.com", "bigpond.net.au", "optusnet.com.au", "iinet.net.au", "xtra.co.nz",
  "mweb.co.za", "webmail.co.za", "walla.co.il", "walla.com", "bezeqint.net", "netvision.net.il",
  // North American ISPs
  "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "charter.net", "cox.net",
  "earthlink.net", "juno.com", "netzero.net", "optonline.net", "frontier.com", "windstream.net",
  "roadrunner.com", "rr.com", "centurylink.net", "shaw.ca", "rogers.com", "sympatico.ca", "telus.net",
  "videotron.ca", "bell.net",
]);

/** Brands with a mailbox domain under many country TLDs, matched on the registrable domain's first label. */
export const FREE_MAIL_FAMILIES: ReadonlySet<string> = new Set([
  "yahoo", "hotmail", "outlook", "live", "gmx", "yandex", "aol",
]);

/**
 * True when the domain (or its registrable domain) is a free/personal mailbox provider. Accepts unmapped input
 * (case, trailing dot). Subdomains count: `mail.yahoo.co.jp` is free mail.
 */
export function isFreeMailDomain(domain: string): boolean {
  const registrable = registrableDomain(domain);
  if (registrable === null) return false;
  if (FREE_MAIL_DOMAINS.has(registrable)) return true;
  const host = domain.toLowerCase().replace(/\.+$/u, "");
  if (FREE_MAIL_DOMAINS.has(host)) return true;
  const brand = registrable.slice(0, registrable.indexOf("."));
  return FREE_MAIL_FAMILIES.has(brand);
}
