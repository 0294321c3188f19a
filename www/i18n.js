// @ts-check
/* The dashboard's headings, buttons and notes, in English and French, following the
 * browser's language. Verdicts, dates, spans and events are the engine's words. */
var I18n = (() => {
  /** @type {Record<string, string>} */
  const en = {
    skip: 'Skip to content', nav_unfollowed: 'Unfollowed you', nav_not_back: 'Not following back', nav_brands: 'Brands', nav_charts: 'Charts',
    viewer: 'Account', theme: 'Dark mode', import_title: 'Your X archive',
    import_help: 'Drop your X data archive (.zip) here, or choose one or several. They are read here, in your browser, and never uploaded. Archives from different dates give a history.',
    import_choose: 'Choose archives or a ledger export…', export_json: 'Export the ledger (JSON)', export_csv: 'Export this list (CSV)', empty: 'Nothing seen yet.',
    unfollowed_title: 'Who unfollowed you', not_back_title: 'You follow them; they don’t follow you back', brands_title: 'Brands by track record', charts_title: 'Over time',
    col_account: 'Account', col_when: 'When', col_lasted: 'After', col_kind: 'What happened', col_since: 'You follow since', col_checked: 'Last checked', col_status: 'Status',
    col_verdict: 'Verdict', col_quick: 'Quick unfollows', col_unfollows: 'Unfollows seen', col_churn: 'Churn (30 days)', col_net: 'Net (30 days)', col_actions: 'Actions',
    filter: 'Filter', flagged_only: 'Flagged only', mark_brand: 'Mark as brand', unmark_brand: 'Not a brand', allow: 'Never flag', unallow: 'Allow flags', forget: 'Forget this account', badges_title: 'Badges on x.com', place_profileHeader: 'On profiles', place_hoverCard: 'In hover cards', place_userCell: 'In lists', place_tweet: 'On posts', choice_all: 'All', choice_notable: 'Only what says something', choice_none: 'None', on_x: 'Its profile on X', not_unfollow: 'Not an unfollow', forget_all: 'Forget everything', forget_all_confirm: 'Forget everything Reciprocity keeps in this browser? This cannot be undone.',
    chart_counts: 'Your followers and following', chart_unfollows: 'Unfollows per week', chart_following: 'Its following count over time',
    followers: 'Followers', following: 'Following', unfollows: 'Unfollows', timeline: 'History', no_account: 'This account is not in the ledger.',
    reading: 'Reading {name}…', read_archive: '{name}: archive of {who} dated {date}: {followers} followers, {following} following.', read_export: '{name}: ledger export merged.',
    failed: '{name}: {error}', recording: 'Recording {name} ({done} of {total} pages)…', cancel: 'Cancel', cancelled: '{name}: cancelled; nothing of it is kept.',
    cancelled_partly: '{name}: cancelled; the pages already recorded show who was there, never who was missing.',
    archive_partial: 'This archive is incomplete (marked partial, or its lists disagree with its manifest): it shows who was there, never who was missing.',
    reader_stopped: 'the archive reader stopped (out of memory?)', archives_title: 'Archives imported here', remove: 'Remove',
    archive_row: '{date} · {who} · {followers} followers, {following} following', archive_removed: '{name} removed.', show_more: 'Show {n} more ({left} not shown)',
    loading_store: 'Loading the ledger: {loaded} of {total} parts…',
  };
  /** @type {Record<string, string>} */
  const fr = {
    skip: 'Aller au contenu', nav_unfollowed: 'Vous ont lâché', nav_not_back: 'Ne vous suivent pas', nav_brands: 'Marques', nav_charts: 'Graphiques',
    viewer: 'Compte', theme: 'Mode sombre', import_title: 'Votre archive X',
    import_help: 'Déposez ici votre archive de données X (.zip), ou choisissez-en une ou plusieurs. Elles sont lues ici, dans votre navigateur, et jamais envoyées. Des archives de dates différentes donnent un historique.',
    import_choose: 'Choisir des archives ou un export…', export_json: 'Exporter les données (JSON)', export_csv: 'Exporter cette liste (CSV)', empty: 'Rien vu pour l’instant.',
    unfollowed_title: 'Qui s’est désabonné de vous', not_back_title: 'Vous les suivez ; ils ne vous suivent pas', brands_title: 'Marques et leur historique', charts_title: 'Dans le temps',
    col_account: 'Compte', col_when: 'Quand', col_lasted: 'Après', col_kind: 'Ce qui s’est passé', col_since: 'Suivi depuis', col_checked: 'Vérifié le', col_status: 'État',
    col_verdict: 'Verdict', col_quick: 'Désabonnements rapides', col_unfollows: 'Désabonnements vus', col_churn: 'Mouvements (30 j)', col_net: 'Solde (30 j)', col_actions: 'Actions',
    filter: 'Filtrer', flagged_only: 'Seulement les signalés', mark_brand: 'Marquer comme marque', unmark_brand: 'Pas une marque', allow: 'Ne jamais signaler', unallow: 'Autoriser les signalements', forget: 'Oublier ce compte', badges_title: 'Badges sur x.com', place_profileHeader: 'Sur les profils', place_hoverCard: 'Dans les cartes au survol', place_userCell: 'Dans les listes', place_tweet: 'Sur les posts', choice_all: 'Tous', choice_notable: 'Seulement ceux qui disent quelque chose', choice_none: 'Aucun', on_x: 'Son profil sur X', not_unfollow: 'Pas un désabonnement', forget_all: 'Tout oublier', forget_all_confirm: 'Oublier tout ce que Reciprocity garde dans ce navigateur ? C’est définitif.',
    chart_counts: 'Vos abonnés et abonnements', chart_unfollows: 'Désabonnements par semaine', chart_following: 'Ses abonnements dans le temps',
    followers: 'Abonnés', following: 'Abonnements', unfollows: 'Désabonnements', timeline: 'Historique', no_account: 'Ce compte n’est pas dans les données.',
    reading: 'Lecture de {name}…', read_archive: '{name} : archive de {who} du {date} : {followers} abonnés, {following} abonnements.', read_export: '{name} : export fusionné.',
    failed: '{name} : {error}', recording: 'Enregistrement de {name} ({done} pages sur {total})…', cancel: 'Annuler', cancelled: '{name} : annulé ; rien n’en est gardé.',
    cancelled_partly: '{name} : annulé ; les pages déjà enregistrées montrent qui était là, jamais qui manquait.',
    archive_partial: 'Cette archive est incomplète (marquée partielle, ou ses listes ne correspondent pas à son manifeste) : elle montre qui était là, jamais qui manquait.',
    reader_stopped: 'le lecteur d’archive s’est arrêté (mémoire insuffisante ?)', archives_title: 'Archives importées ici', remove: 'Retirer',
    archive_row: '{date} · {who} · {followers} abonnés, {following} abonnements', archive_removed: '{name} retirée.', show_more: 'Afficher {n} de plus ({left} non affichés)',
    loading_store: 'Chargement du registre : {loaded} parties sur {total}…',
  };
  const lang = (navigator.language || 'en').toLowerCase().startsWith('fr') ? 'fr' : 'en';
  const words = lang === 'fr' ? fr : en;
  return {
    lang,
    /** @param {string} key @param {Record<string, string | number>} [vars] */
    t(key, vars = {}) {
      const s = words[key] ?? en[key] ?? key;
      return s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
    },
    /** @param {ParentNode} [root] */
    apply(root = document) {
      document.documentElement.lang = lang;
      for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = I18n.t(/** @type {HTMLElement} */ (el).dataset.i18n || '');
    },
  };
})();
