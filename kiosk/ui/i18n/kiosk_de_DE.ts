<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
<context>
    <name>Board</name>
    <message>
        <source>needs {amount} or less</source>
        <extracomment>A limit (a wait time, say): today&apos;s figure must not be above this.</extracomment>
        <translation>nötig: {amount} oder weniger</translation>
    </message>
    <message>
        <source>needs {amount}</source>
        <extracomment>A score (a mean or the latest value): today&apos;s figure must reach this to win the day.</extracomment>
        <translation>nötig: {amount}</translation>
    </message>
    <message>
        <source>{amount} left to spend</source>
        <extracomment>A day budget (shrink): this much can still be spent today.</extracomment>
        <translation>noch {amount} verfügbar</translation>
    </message>
    <message>
        <source>{amount} to go</source>
        <extracomment>What today&apos;s goal still needs: &quot;$770 to go&quot;.</extracomment>
        <translation>noch {amount}</translation>
    </message>
    <message>
        <source>{amount} an hour</source>
        <extracomment>The same, per opening hour left today: &quot;$257 an hour&quot;.</extracomment>
        <translation>{amount} pro Stunde</translation>
    </message>
    <message>
        <source>{amount} left</source>
        <extracomment>Short for &quot;{amount} left to spend&quot;, where a card is narrow.</extracomment>
        <translation>noch {amount}</translation>
    </message>
    <message>
        <source>Met</source>
        <extracomment>A goal&apos;s status on a scoreboard card, after a check mark: the goal is reached.</extracomment>
        <translation>Erreicht</translation>
    </message>
    <message>
        <source>On track</source>
        <extracomment>A goal&apos;s status: not reached yet, but the week&apos;s or month&apos;s pace will reach it.</extracomment>
        <translation>Auf Kurs</translation>
    </message>
    <message>
        <source>Behind</source>
        <extracomment>A goal&apos;s status: below the goal and below the pace to reach it.</extracomment>
        <translation>Im Rückstand</translation>
    </message>
    <message>
        <source>No data yet</source>
        <extracomment>A goal with no number yet today.</extracomment>
        <translation>Noch keine Daten</translation>
    </message>
    <message>
        <source>today</source>
        <extracomment>The period of a goal, inside a sentence (&quot;Goal met today!&quot;).</extracomment>
        <translation>heute</translation>
    </message>
    <message>
        <source>this week</source>
        <translation>diese Woche</translation>
    </message>
    <message>
        <source>this month</source>
        <translation>diesen Monat</translation>
    </message>
    <message>
        <source>Today</source>
        <extracomment>The period at the start of a card&apos;s line: &quot;Week $18,010 / $60,000&quot;.</extracomment>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Woche</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Monat</translation>
    </message>
    <message>
        <source>Financial</source>
        <extracomment>The four balanced-scorecard perspectives: the headings of the scoreboard&apos;s columns.</extracomment>
        <translation>Finanzen</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunden</translation>
    </message>
    <message>
        <source>Internal process</source>
        <translation>Interne Prozesse</translation>
    </message>
    <message>
        <source>Learning &amp; growth</source>
        <translation>Lernen &amp; Wachstum</translation>
    </message>
    <message>
        <source>on pace for {percent}</source>
        <extracomment>Where a week&apos;s or month&apos;s goal will end if the days go on like this: &quot;on pace for 104%&quot;.</extracomment>
        <translation>Kurs auf {percent}</translation>
    </message>
    <message>
        <source>no rating</source>
        <extracomment>A customer comment that came without a star rating.</extracomment>
        <translation>ohne Bewertung</translation>
    </message>
    <message>
        <source>over by {amount}</source>
        <extracomment>A budget (shrink) or limit passed by this much.</extracomment>
        <translation>{amount} zu viel</translation>
    </message>
    <message>
        <source>{amount} under</source>
        <extracomment>A budget (shrink) or limit not reached: this much is still unused.</extracomment>
        <translation>{amount} Puffer</translation>
    </message>
    <message>
        <source>{percent} used</source>
        <extracomment>The share of a budget (shrink) used so far: &quot;80% used&quot;.</extracomment>
        <translation>{percent} verbraucht</translation>
    </message>
    <message>
        <source>on pace to use {percent}</source>
        <extracomment>How much of a week&apos;s or month&apos;s budget it will have used at the end, at this pace.</extracomment>
        <translation>Kurs auf {percent} Verbrauch</translation>
    </message>
</context>
<context>
    <name>Celebration</name>
    <message>
        <source>from HQ</source>
        <extracomment>Who gave a shout-out: headquarters...</extracomment>
        <translation>von der Zentrale</translation>
    </message>
    <message>
        <source>from your manager</source>
        <extracomment>...or the store&apos;s manager, at the kiosk.</extracomment>
        <translation>von der Filialleitung</translation>
    </message>
    <message>
        <source>Goal met today!</source>
        <extracomment>The big headline when a goal is reached (also: this week, this month).</extracomment>
        <translation>Ziel heute erreicht!</translation>
    </message>
    <message>
        <source>Goal met this week!</source>
        <translation>Ziel diese Woche erreicht!</translation>
    </message>
    <message>
        <source>Goal met this month!</source>
        <translation>Ziel diesen Monat erreicht!</translation>
    </message>
    <message>
        <source>Under budget today!</source>
        <extracomment>The headline when a budget (shrink: losses to keep low) is kept to.</extracomment>
        <translation>Heute im Budget!</translation>
    </message>
    <message>
        <source>Under budget this week!</source>
        <translation>Diese Woche im Budget!</translation>
    </message>
    <message>
        <source>Under budget this month!</source>
        <translation>Diesen Monat im Budget!</translation>
    </message>
    <message>
        <source>Under the limit today!</source>
        <extracomment>The headline when a limit (a wait time to keep short) is kept to.</extracomment>
        <translation>Heute im Limit!</translation>
    </message>
    <message>
        <source>Under the limit this week!</source>
        <translation>Diese Woche im Limit!</translation>
    </message>
    <message>
        <source>Under the limit this month!</source>
        <translation>Diesen Monat im Limit!</translation>
    </message>
    <message>
        <source>Met today</source>
        <extracomment>On a goal met, in the list of goals met (also: this week, this month).</extracomment>
        <translation>Heute erreicht</translation>
    </message>
    <message>
        <source>Met this week</source>
        <translation>Diese Woche erreicht</translation>
    </message>
    <message>
        <source>Met this month</source>
        <translation>Diesen Monat erreicht</translation>
    </message>
    <message>
        <source>{actual} of {goal} budget</source>
        <extracomment>A budget kept to: what was spent of it (&quot;$120 of $150 budget&quot;).</extracomment>
        <translation>{actual} von {goal} Budget</translation>
    </message>
    <message>
        <source>{actual} of {goal} limit</source>
        <extracomment>A limit kept to: the figure and its limit (&quot;4.1 min of 5.0 min limit&quot;).</extracomment>
        <translation>{actual} bei {goal} Limit</translation>
    </message>
    <message>
        <source>{actual} vs goal {goal}</source>
        <extracomment>A goal met: the number reached and the goal (&quot;$12,840 vs goal $12,000&quot;).</extracomment>
        <translation>{actual} bei Ziel {goal}</translation>
    </message>
    <message>
        <source>budget {goal}</source>
        <extracomment>Under a budget just kept to, big: the budget (&quot;budget $150&quot;).</extracomment>
        <translation>Budget {goal}</translation>
    </message>
    <message>
        <source>limit {goal}</source>
        <extracomment>Under a limit just kept to, big: the limit (&quot;limit 5.0 min&quot;).</extracomment>
        <translation>Limit {goal}</translation>
    </message>
    <message>
        <source>{percent} used</source>
        <extracomment>The share of a budget used (&quot;80% used&quot;).</extracomment>
        <translation>{percent} verbraucht</translation>
    </message>
    <message>
        <source>goal {goal}</source>
        <extracomment>Under a goal just met, big: the goal (&quot;goal $12,000&quot;), then its percent.</extracomment>
        <translation>Ziel {goal}</translation>
    </message>
    <message>
        <source>Let&apos;s celebrate!</source>
        <extracomment>The title of the screen of goals met and shout-outs.</extracomment>
        <translation>Wir feiern!</translation>
    </message>
    <message>
        <source>No goals met yet today. Keep going!</source>
        <translation>Heute noch kein Ziel erreicht. Weiter so!</translation>
    </message>
    <message>
        <source>Goals met</source>
        <translation>Erreichte Ziele</translation>
    </message>
    <message>
        <source>Shout-outs</source>
        <translation>Lob &amp; Dank</translation>
    </message>
</context>
<context>
    <name>Comments</name>
    <message>
        <source>“{text}”</source>
        <extracomment>A customer&apos;s comment, in the quotation marks of your language (French: « {text} »).</extracomment>
        <translation>„{text}“</translation>
    </message>
    <message>
        <source>What customers said</source>
        <extracomment>The title of the screen of customer comments.</extracomment>
        <translation>Das sagen unsere Kunden</translation>
    </message>
    <message>
        <source>No customer comments in the last two weeks.</source>
        <translation>Keine Kundenkommentare in den letzten zwei Wochen.</translation>
    </message>
</context>
<context>
    <name>Entries</name>
    <message>
        <source>Use a whole number (no decimals)</source>
        <extracomment>The number typed on the keypad has decimals; this metric takes whole numbers.</extracomment>
        <translation>Bitte eine ganze Zahl (ohne Nachkommastellen)</translation>
    </message>
    <message>
        <source>Use at most 1 decimal</source>
        <extracomment>The number typed has too many decimals: this metric takes one.</extracomment>
        <translation>Höchstens 1 Nachkommastelle</translation>
    </message>
    <message>
        <source>Use at most {count} decimals</source>
        <extracomment>The number typed has too many decimals: this metric takes {count} (2 or more).</extracomment>
        <translation>Höchstens {count} Nachkommastellen</translation>
    </message>
    <message>
        <source>Type a number</source>
        <extracomment>Nothing (or no digit) typed on the keypad.</extracomment>
        <translation>Bitte eine Zahl eingeben</translation>
    </message>
    <message>
        <source>Type a number (digits and one decimal point)</source>
        <extracomment>What was typed is not a number (only a hardware keyboard can type such things).</extracomment>
        <translation>Bitte eine Zahl eingeben (Ziffern und ein Komma)</translation>
    </message>
    <message>
        <source>That number is too long</source>
        <extracomment>More digits typed than any real number has (a finger stuck on a key).</extracomment>
        <translation>Die Zahl ist zu lang</translation>
    </message>
    <message>
        <source>Must not be negative</source>
        <extracomment>A number below zero typed on the keypad.</extracomment>
        <translation>Darf nicht negativ sein</translation>
    </message>
    <message>
        <source>That is too large (at most {limit})</source>
        <extracomment>A number above the largest the kiosk stores ({limit}: a billion).</extracomment>
        <translation>Zu groß (höchstens {limit})</translation>
    </message>
    <message>
        <source>That is more than 100× the biggest day on record — check the number</source>
        <extracomment>A number a hundred times the biggest day of the last months: a typo, most likely (&quot;Save anyway&quot; keeps it all the same).</extracomment>
        <translation>Mehr als das 100-Fache des besten Tages bisher – bitte die Zahl prüfen</translation>
    </message>
    <message>
        <source>Unknown metric &apos;{metric}&apos;</source>
        <extracomment>Not shown in normal use: the catalog lost the metric while its keypad was open.</extracomment>
        <translation>Unbekannte Kennzahl „{metric}“</translation>
    </message>
    <message>
        <source>{metric} comes from HQ; it is not typed in at the store</source>
        <extracomment>The catalog changed while the keypad was open: HQ now sends this metric.</extracomment>
        <translation>{metric} kommt von der Zentrale; die Zahl wird nicht in der Filiale eingegeben</translation>
    </message>
    <message>
        <source>That day has not started yet</source>
        <extracomment>A number typed for a day in the future (a wrong clock).</extracomment>
        <translation>Dieser Tag hat noch nicht begonnen</translation>
    </message>
    <message>
        <source>Type a shout-out</source>
        <extracomment>Save tapped on an empty shout-out.</extracomment>
        <translation>Bitte ein Lob eingeben</translation>
    </message>
    <message>
        <source>Use plain text only</source>
        <extracomment>A shout-out with control characters (only a hardware keyboard types them).</extracomment>
        <translation>Nur einfachen Text verwenden</translation>
    </message>
    <message>
        <source>Keep it to {limit} characters (this one has {count})</source>
        <extracomment>A shout-out too long: {limit} characters at most, {count} typed (always more).</extracomment>
        <translation>Höchstens {limit} Zeichen (dieser Text hat {count})</translation>
    </message>
</context>
<context>
    <name>Entry</name>
    <message>
        <source>Today</source>
        <extracomment>The entry screen&apos;s day buttons: which day&apos;s numbers to type.</extracomment>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>HQ</source>
        <extracomment>Where a number on the entry screen came from: headquarters&apos; feed...</extracomment>
        <translation>Zentrale</translation>
    </message>
    <message>
        <source>Store</source>
        <extracomment>...a manager at this store...</extracomment>
        <translation>Filiale</translation>
    </message>
    <message>
        <source>not entered</source>
        <extracomment>...or nobody yet.</extracomment>
        <translation>nicht erfasst</translation>
    </message>
    <message>
        <source>Enter today&apos;s numbers</source>
        <extracomment>The entry screen&apos;s title, by the day chosen.</extracomment>
        <translation>Zahlen von heute eingeben</translation>
    </message>
    <message>
        <source>Enter yesterday&apos;s numbers</source>
        <translation>Zahlen von gestern eingeben</translation>
    </message>
    <message>
        <source>The last 7 days</source>
        <translation>Die letzten 7 Tage</translation>
    </message>
    <message>
        <source>{count} more</source>
        <extracomment>The end of a list of metrics: &quot;Sales, Shrink, and {count} more&quot;.</extracomment>
        <translation>{count} weitere</translation>
    </message>
    <message>
        <source>{count} metrics</source>
        <extracomment>A number of metrics, none named (2 or more).</extracomment>
        <translation>{count} Kennzahlen</translation>
    </message>
    <message>
        <source>{metric} comes from HQ: it is not typed here.</source>
        <extracomment>Under the entry list: a metric of the board that is not typed at the store.</extracomment>
        <translation>{metric} kommt von der Zentrale und wird hier nicht eingegeben.</translation>
    </message>
    <message>
        <source>{metrics} come from HQ: they are not typed here.</source>
        <extracomment>Under the entry list: metrics of the board that are not typed at the store.</extracomment>
        <translation>{metrics} kommen von der Zentrale und werden hier nicht eingegeben.</translation>
    </message>
    <message>
        <source>No metrics are set up for store entry.</source>
        <translation>Keine Kennzahlen zur Eingabe in der Filiale eingerichtet.</translation>
    </message>
    <message>
        <source>Done</source>
        <extracomment>The button that closes the manager&apos;s entry screen.</extracomment>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Close the entry screen</source>
        <translation>Eingabe schließen</translation>
    </message>
    <message>
        <source>Shout-outs</source>
        <extracomment>The button to the manager&apos;s shout-outs (thank-yous shown on the celebration screen).</extracomment>
        <translation>Lob &amp; Dank</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation>Vorherige Seite</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>Nächste Seite</translation>
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <source>Disk full: nothing can be saved</source>
        <translation>Speicher voll: nichts kann gespeichert werden</translation>
    </message>
    <message>
        <source>Disk read-only: nothing can be saved</source>
        <translation>Speicher schreibgeschützt: nichts kann gespeichert werden</translation>
    </message>
    <message>
        <source>No data from HQ yet</source>
        <extracomment>The header&apos;s warning band: no data has ever arrived from headquarters.</extracomment>
        <translation>Noch keine Daten von der Zentrale</translation>
    </message>
    <message>
        <source>Data not updated since {when}</source>
        <extracomment>The header&apos;s warning band: the last data from headquarters is old (&quot;Mon 09:12&quot;).</extracomment>
        <translation>Daten nicht aktualisiert seit {when}</translation>
    </message>
    <message>
        <source>updated {time}</source>
        <extracomment>When the data last arrived from headquarters, today (&quot;10:42&quot;).</extracomment>
        <translation>aktualisiert um {time}</translation>
    </message>
    <message>
        <source>updated {when}</source>
        <extracomment>When the data last arrived from headquarters, an earlier day (&quot;Mon 09:12&quot;).</extracomment>
        <translation>aktualisiert {when}</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Goal today: {goal}</source>
        <extracomment>Beside the keypad: the goal in force for the day typed (&quot;Goal today: 8.5 pts&quot;).</extracomment>
        <translation>Ziel heute: {goal}</translation>
    </message>
    <message>
        <source>Goal this week: {goal}</source>
        <extracomment>The same when only the week has a goal.</extracomment>
        <translation>Ziel diese Woche: {goal}</translation>
    </message>
    <message>
        <source>Goal this month: {goal}</source>
        <translation>Ziel diesen Monat: {goal}</translation>
    </message>
    <message>
        <source>Budget today: {goal}</source>
        <extracomment>A budget not to pass (shrink: losses), for the day, the week or the month.</extracomment>
        <translation>Budget heute: {goal}</translation>
    </message>
    <message>
        <source>Budget this week: {goal}</source>
        <translation>Budget diese Woche: {goal}</translation>
    </message>
    <message>
        <source>Budget this month: {goal}</source>
        <translation>Budget diesen Monat: {goal}</translation>
    </message>
    <message>
        <source>Limit today: {goal}</source>
        <extracomment>A limit not to pass (a mean wait time, say).</extracomment>
        <translation>Limit heute: {goal}</translation>
    </message>
    <message>
        <source>Limit this week: {goal}</source>
        <translation>Limit diese Woche: {goal}</translation>
    </message>
    <message>
        <source>Limit this month: {goal}</source>
        <translation>Limit diesen Monat: {goal}</translation>
    </message>
    <message>
        <source>Today · {date}</source>
        <extracomment>Under the keypad&apos;s title: the day being typed, when it is today.</extracomment>
        <translation>Heute · {date}</translation>
    </message>
    <message>
        <source>Yesterday · {date}</source>
        <translation>Gestern · {date}</translation>
    </message>
    <message>
        <source>No goal set</source>
        <extracomment>Beside the keypad: the metric has no goal on the day typed.</extracomment>
        <translation>Kein Ziel festgelegt</translation>
    </message>
    <message>
        <source>Not entered yet today</source>
        <extracomment>Beside the keypad: nothing typed (nor sent by HQ) for today yet.</extracomment>
        <translation>Heute noch nichts erfasst</translation>
    </message>
    <message>
        <source>Not entered for yesterday</source>
        <translation>Für gestern nichts erfasst</translation>
    </message>
    <message>
        <source>Not entered for {date}</source>
        <translation>Für {date} nichts erfasst</translation>
    </message>
    <message>
        <source>So far today: {value}</source>
        <extracomment>Beside the keypad: the day&apos;s number so far, then where it came from.</extracomment>
        <translation>Bisher heute: {value}</translation>
    </message>
    <message>
        <source>So far yesterday: {value}</source>
        <translation>Bisher gestern: {value}</translation>
    </message>
    <message>
        <source>So far on {date}: {value}</source>
        <translation>Bisher am {date}: {value}</translation>
    </message>
    <message>
        <source>(HQ&apos;s number shows on the board for this day)</source>
        <extracomment>After the day&apos;s number when it is HQ&apos;s: what the manager types does not show.</extracomment>
        <translation>(auf der Tafel steht für diesen Tag die Zahl der Zentrale)</translation>
    </message>
    <message>
        <source>Yesterday: {value}</source>
        <extracomment>Beside the keypad: the number of the day before the one typed.</extracomment>
        <translation>Gestern: {value}</translation>
    </message>
    <message>
        <source>{date}: {value}</source>
        <extracomment>The same for an earlier day: &quot;Sun, Nov 22: 8.6 pts&quot;.</extracomment>
        <translation>{date}: {value}</translation>
    </message>
    <message>
        <source>Unit: {unit}</source>
        <extracomment>Beside the keypad: the unit of the number typed, as HQ&apos;s catalog writes it.</extracomment>
        <translation>Einheit: {unit}</translation>
    </message>
    <message>
        <source>Decimal point</source>
        <extracomment>The name a screen reader says for the keypad&apos;s decimal mark key (&quot;.&quot; or &quot;,&quot;).</extracomment>
        <translation>Dezimalkomma</translation>
    </message>
    <message>
        <source>Backspace</source>
        <translation>Letzte Ziffer löschen</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <extracomment>A keypad key: back to the list without saving.</extracomment>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>OK</source>
        <extracomment>The keypad&apos;s key that saves the number (short words only).</extracomment>
        <translation>OK</translation>
    </message>
    <message>
        <source>Save anyway</source>
        <extracomment>Shown when a number looks wrong (100 times the usual): save it all the same.</extracomment>
        <translation>Trotzdem speichern</translation>
    </message>
    <message>
        <source>Show changes</source>
        <extracomment>Opens the list of the changes saved for this metric and day.</extracomment>
        <translation>Änderungen anzeigen</translation>
    </message>
    <message>
        <source>Saving…</source>
        <extracomment>While a number is being saved.</extracomment>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <source>Back</source>
        <extracomment>Back from the list of changes to the keypad.</extracomment>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Changes: {metric}</source>
        <extracomment>The title of the list of changes saved for one metric (&quot;Changes: Sales&quot;).</extracomment>
        <translation>Änderungen: {metric}</translation>
    </message>
    <message>
        <source>saved at this screen</source>
        <extracomment>After the day, under that title: only changes typed at this kiosk are listed.</extracomment>
        <translation>an diesem Bildschirm gespeichert</translation>
    </message>
    <message>
        <source>No changes saved at this screen for this day yet.</source>
        <translation>Für diesen Tag wurden hier noch keine Änderungen gespeichert.</translation>
    </message>
    <message>
        <source>and 1 earlier change</source>
        <extracomment>Under the list of changes, when the oldest one does not fit.</extracomment>
        <translation>und 1 ältere Änderung</translation>
    </message>
    <message>
        <source>and {count} earlier changes</source>
        <extracomment>Under the list of changes, when the oldest ones do not fit (2 or more).</extracomment>
        <translation>und {count} ältere Änderungen</translation>
    </message>
</context>
<context>
    <name>Leaderboard</name>
    <message>
        <source>{metric} today</source>
        <extracomment>Above the leaderboard: the metric ranked (&quot;Sales&quot;, as HQ names it) and its period.</extracomment>
        <translation>{metric} heute</translation>
    </message>
    <message>
        <source>{metric} this week</source>
        <translation>{metric} diese Woche</translation>
    </message>
    <message>
        <source>{metric} this month</source>
        <translation>{metric} diesen Monat</translation>
    </message>
    <message>
        <source>ranked by pace to the week&apos;s end</source>
        <extracomment>How the leaderboard ranks: by where each store will end the period at its pace.</extracomment>
        <translation>Rang nach Prognose zum Wochenschluss</translation>
    </message>
    <message>
        <source>ranked by pace to the month&apos;s end</source>
        <translation>Rang nach Prognose zum Monatsende</translation>
    </message>
    <message>
        <source>ranked by percent of goal</source>
        <extracomment>How the leaderboard ranks a day: by the percent of the day&apos;s goal reached.</extracomment>
        <translation>Rang nach % vom Ziel</translation>
    </message>
    <message>
        <source>no data</source>
        <extracomment>A store on the leaderboard without a goal or a number.</extracomment>
        <translation>keine Daten</translation>
    </message>
    <message>
        <source>of goal</source>
        <extracomment>Under a store&apos;s percent of its day goal (&quot;102%&quot; over &quot;of goal&quot;).</extracomment>
        <translation>vom Ziel</translation>
    </message>
    <message>
        <source>{percent} of goal so far</source>
        <extracomment>Under a store&apos;s pace: how much of the week&apos;s or month&apos;s goal it has so far.</extracomment>
        <translation>bisher {percent} vom Ziel</translation>
    </message>
    <message>
        <source>on pace for</source>
        <extracomment>Small words just before a store&apos;s big projected percent: &quot;on pace for&quot; &quot;102%&quot;.</extracomment>
        <translation>Kurs auf</translation>
    </message>
    <message>
        <source>YOU</source>
        <extracomment>The tag on this store&apos;s own row of the leaderboard, in capitals.</extracomment>
        <translation>WIR</translation>
    </message>
    <message>
        <source>⋯ 1 more store ⋯</source>
        <extracomment>The one store left out between the top stores and this store.</extracomment>
        <translation>⋯ 1 weitere Filiale ⋯</translation>
    </message>
    <message>
        <source>⋯ {count} more stores ⋯</source>
        <extracomment>The stores left out between the top stores and this store (2 or more).</extracomment>
        <translation>⋯ {count} weitere Filialen ⋯</translation>
    </message>
    <message>
        <source>Leaderboard</source>
        <extracomment>The title of the screen ranking the region&apos;s stores.</extracomment>
        <translation>Rangliste</translation>
    </message>
    <message>
        <source>No leaderboard for this region yet.</source>
        <translation>Noch keine Rangliste für diese Region.</translation>
    </message>
    <message>
        <source>stores in region {region}</source>
        <extracomment>The region whose stores are ranked, as HQ names it (&quot;North&quot;).</extracomment>
        <translation>Filialen der Region {region}</translation>
    </message>
</context>
<context>
    <name>Manager</name>
    <message>
        <source>Manager</source>
        <extracomment>The padlock tab on the board&apos;s edge that opens the manager area.</extracomment>
        <translation>Filialleitung</translation>
    </message>
    <message>
        <source>Manager: enter numbers and shout-outs</source>
        <translation>Filialleitung: Zahlen und Lob eingeben</translation>
    </message>
    <message>
        <source>The on-screen keyboard is off (QT_IM_MODULE is not qtvirtualkeyboard).</source>
        <extracomment>Instead of the on-screen keyboard (a technician&apos;s setting; keep the names).</extracomment>
        <translation>Die Bildschirmtastatur ist aus (QT_IM_MODULE ist nicht qtvirtualkeyboard).</translation>
    </message>
    <message>
        <source>The on-screen keyboard could not be loaded; use a USB keyboard.</source>
        <translation>Die Bildschirmtastatur konnte nicht geladen werden; bitte eine USB-Tastatur verwenden.</translation>
    </message>
    <message>
        <source>Not saved — something went wrong. Please try again.</source>
        <extracomment>A save that failed for a reason the manager cannot fix (see the log).</extracomment>
        <translation>Nicht gespeichert – etwas ist schiefgelaufen. Bitte noch einmal versuchen.</translation>
    </message>
    <message>
        <source>Saved: {metric} {value}</source>
        <extracomment>A short confirmation at the top of the screen: the metric and the number saved.</extracomment>
        <translation>Gespeichert: {metric} {value}</translation>
    </message>
    <message>
        <source>No change: {metric}</source>
        <extracomment>The same when the number typed was the one already saved.</extracomment>
        <translation>Keine Änderung: {metric}</translation>
    </message>
    <message>
        <source>(HQ&apos;s number still shows for that day)</source>
        <extracomment>After that confirmation, when HQ sent a number for the same day.</extracomment>
        <translation>(für diesen Tag gilt weiter die Zahl der Zentrale)</translation>
    </message>
    <message>
        <source>The changes could not be read</source>
        <translation>Die Änderungen konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>Shout-out added</source>
        <extracomment>A short confirmation at the top of the screen.</extracomment>
        <translation>Lob hinzugefügt</translation>
    </message>
    <message>
        <source>Shout-out deleted</source>
        <translation>Lob gelöscht</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>NEWS</source>
        <extracomment>The kind of an HQ message, in capitals above its title.</extracomment>
        <translation>NEUIGKEITEN</translation>
    </message>
    <message>
        <source>SERVICE STORY</source>
        <extracomment>A story of great customer service, told to the whole chain.</extracomment>
        <translation>SERVICE-GESCHICHTE</translation>
    </message>
    <message>
        <source>LESSON LEARNED</source>
        <translation>ERKENNTNIS</translation>
    </message>
    <message>
        <source>EXPECTATION</source>
        <extracomment>What HQ expects of every store (a standard, a rule).</extracomment>
        <translation>ERWARTUNG</translation>
    </message>
    <message>
        <source>SHOUT-OUT</source>
        <extracomment>A thank-you to a person or a team.</extracomment>
        <translation>LOB</translation>
    </message>
    <message>
        <source>until {date}</source>
        <extracomment>The last day an HQ message shows (&quot;Tue, Dec 1&quot;).</extracomment>
        <translation>bis {date}</translation>
    </message>
    <message>
        <source>since {date}</source>
        <extracomment>The day an HQ message without an end started to show.</extracomment>
        <translation>seit {date}</translation>
    </message>
    <message>
        <source>News from HQ</source>
        <extracomment>The title of the screen of messages from headquarters.</extracomment>
        <translation>Neues aus der Zentrale</translation>
    </message>
    <message>
        <source>No messages from HQ right now.</source>
        <translation>Zurzeit keine Nachrichten von der Zentrale.</translation>
    </message>
</context>
<context>
    <name>OffHours</name>
    <message>
        <source>Back at {time}</source>
        <extracomment>Under the dim night clock: when the scoreboard comes back on (&quot;07:00&quot;).</extracomment>
        <translation>Wieder da um {time}</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>One moment…</source>
        <extracomment>The PIN pad, while it reads whether a PIN is set (a fraction of a second).</extracomment>
        <translation>Einen Moment…</translation>
    </message>
    <message>
        <source>Manager entry is not available</source>
        <extracomment>Instead of the PIN pad, when the PIN file cannot be read.</extracomment>
        <translation>Eingabe nicht verfügbar</translation>
    </message>
    <message>
        <source>The PIN could not be read. Ask your IT contact to look at the kiosk&apos;s log.</source>
        <translation>Die PIN konnte nicht gelesen werden. Bitte die IT bitten, das Protokoll des Kiosks zu prüfen.</translation>
    </message>
    <message>
        <source>The PIN could not be checked — try again</source>
        <translation>Die PIN konnte nicht geprüft werden – bitte noch einmal</translation>
    </message>
    <message>
        <source>Type your PIN, then OK</source>
        <extracomment>Under the PIN pad&apos;s dots, before anything is typed.</extracomment>
        <translation>PIN eingeben, dann OK</translation>
    </message>
    <message>
        <source>Manager entry is not set up yet</source>
        <extracomment>Instead of the PIN pad, when no manager PIN was ever set at this kiosk.</extracomment>
        <translation>Eingabe noch nicht eingerichtet</translation>
    </message>
    <message>
        <source>No manager PIN is set. Ask your IT contact to run:</source>
        <extracomment>Above the command IT runs to set the PIN (&quot;kiosk pin set&quot;, never translated).</extracomment>
        <translation>Es ist keine PIN gesetzt. Bitte die IT, diesen Befehl auszuführen:</translation>
    </message>
    <message>
        <source>Wrong PIN — 1 try left</source>
        <extracomment>A wrong PIN typed; one more wrong PIN locks the pad for a few minutes.</extracomment>
        <translation>Falsche PIN – noch 1 Versuch</translation>
    </message>
    <message>
        <source>Wrong PIN — {count} tries left</source>
        <extracomment>A wrong PIN typed, and how many tries are left before the pad locks (0, or 2 or more).</extracomment>
        <translation>Falsche PIN – noch {count} Versuche</translation>
    </message>
    <message>
        <source>Locked — try again in {time}</source>
        <extracomment>Too many wrong PINs: the pad is locked for this long (&quot;4:33&quot;, minutes and seconds).</extracomment>
        <translation>Gesperrt – wieder möglich in {time}</translation>
    </message>
    <message>
        <source>Manager PIN</source>
        <extracomment>The title of the PIN pad that opens the manager area.</extracomment>
        <translation>PIN der Filialleitung</translation>
    </message>
    <message>
        <source>Clear</source>
        <extracomment>A pad key: empty what was typed.</extracomment>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Backspace</source>
        <extracomment>The name a screen reader says for the ⌫ key: remove the last digit typed.</extracomment>
        <translation>Letzte Ziffer löschen</translation>
    </message>
    <message>
        <source>OK</source>
        <extracomment>The pad&apos;s big key that sends the PIN (two keys tall, short words only).</extracomment>
        <translation>OK</translation>
    </message>
    <message>
        <source>Cancel</source>
        <extracomment>A pad key: leave the manager area.</extracomment>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Checking…</source>
        <extracomment>While a typed PIN is being checked.</extracomment>
        <translation>Wird geprüft…</translation>
    </message>
    <message>
        <source>Close</source>
        <extracomment>The one button of a notice in the manager area.</extracomment>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>Scoreboard</name>
    <message>
        <source>Goal {goal}</source>
        <extracomment>Under today&apos;s number on a card: the day&apos;s goal (&quot;Goal $12,000&quot;).</extracomment>
        <translation>Ziel {goal}</translation>
    </message>
    <message>
        <source>Week goal {goal}</source>
        <extracomment>A card whose big number is the week&apos;s: the week&apos;s goal.</extracomment>
        <translation>Wochenziel {goal}</translation>
    </message>
    <message>
        <source>Month goal {goal}</source>
        <translation>Monatsziel {goal}</translation>
    </message>
    <message>
        <source>Budget {goal}</source>
        <extracomment>A budget not to pass (shrink: losses), for the day, week or month.</extracomment>
        <translation>Budget {goal}</translation>
    </message>
    <message>
        <source>Week budget {goal}</source>
        <translation>Wochenbudget {goal}</translation>
    </message>
    <message>
        <source>Month budget {goal}</source>
        <translation>Monatsbudget {goal}</translation>
    </message>
    <message>
        <source>Limit {goal}</source>
        <extracomment>A limit not to pass (a mean wait time, say), for the day, week or month.</extracomment>
        <translation>Limit {goal}</translation>
    </message>
    <message>
        <source>Week limit {goal}</source>
        <translation>Wochenlimit {goal}</translation>
    </message>
    <message>
        <source>Month limit {goal}</source>
        <translation>Monatslimit {goal}</translation>
    </message>
    <message>
        <source>of {goal}</source>
        <extracomment>Under the big percent beside today&apos;s number: &quot;107%&quot; over &quot;of $12,000&quot;.</extracomment>
        <translation>von {goal}</translation>
    </message>
    <message>
        <source>of {goal} this week</source>
        <translation>von {goal} diese Woche</translation>
    </message>
    <message>
        <source>of {goal} this month</source>
        <translation>von {goal} diesen Monat</translation>
    </message>
    <message>
        <source>of {goal} budget</source>
        <extracomment>Under the share of a budget used: &quot;80% used&quot; over &quot;of $150 budget&quot;.</extracomment>
        <translation>von {goal} Budget</translation>
    </message>
    <message>
        <source>of {goal} budget this week</source>
        <translation>von {goal} Wochenbudget</translation>
    </message>
    <message>
        <source>of {goal} budget this month</source>
        <translation>von {goal} Monatsbudget</translation>
    </message>
    <message>
        <source>of {goal} limit</source>
        <translation>von {goal} Limit</translation>
    </message>
    <message>
        <source>of {goal} limit this week</source>
        <translation>von {goal} Wochenlimit</translation>
    </message>
    <message>
        <source>of {goal} limit this month</source>
        <translation>von {goal} Monatslimit</translation>
    </message>
    <message>
        <source>Today {actual} / {goal}</source>
        <extracomment>A line of a card for another period: &quot;Week $18,010 / $60,000&quot; (number / goal).</extracomment>
        <translation>Heute {actual} / {goal}</translation>
    </message>
    <message>
        <source>Week {actual} / {goal}</source>
        <translation>Woche {actual} / {goal}</translation>
    </message>
    <message>
        <source>Month {actual} / {goal}</source>
        <translation>Monat {actual} / {goal}</translation>
    </message>
    <message>
        <source>Today {actual} of {goal}</source>
        <extracomment>The same line for a budget being used up: &quot;Month $2,950 of $4,000&quot;.</extracomment>
        <translation>Heute {actual} von {goal}</translation>
    </message>
    <message>
        <source>Week {actual} of {goal}</source>
        <translation>Woche {actual} von {goal}</translation>
    </message>
    <message>
        <source>Month {actual} of {goal}</source>
        <translation>Monat {actual} von {goal}</translation>
    </message>
    <message>
        <source>Today {actual}</source>
        <extracomment>The same line for a period without a goal: &quot;Week $54,210&quot;.</extracomment>
        <translation>Heute {actual}</translation>
    </message>
    <message>
        <source>Week {actual}</source>
        <translation>Woche {actual}</translation>
    </message>
    <message>
        <source>Month {actual}</source>
        <translation>Monat {actual}</translation>
    </message>
    <message>
        <source>14 days</source>
        <extracomment>Beside the small bars of a card&apos;s last 14 days.</extracomment>
        <translation>14 Tage</translation>
    </message>
    <message>
        <source>no goal</source>
        <extracomment>A card (or a period line) of a metric that has no goal.</extracomment>
        <translation>kein Ziel</translation>
    </message>
    <message>
        <source>{percent} of budget</source>
        <extracomment>What a card&apos;s bar says to a screen reader: the share of a budget used.</extracomment>
        <translation>{percent} des Budgets</translation>
    </message>
    <message>
        <source>{percent} of limit</source>
        <extracomment>The same for a limit (a wait time).</extracomment>
        <translation>{percent} des Limits</translation>
    </message>
    <message>
        <source>{percent} of goal</source>
        <extracomment>What a card&apos;s bar says to a screen reader: the percent of the goal reached.</extracomment>
        <translation>{percent} des Ziels</translation>
    </message>
    <message>
        <source>to use {percent}</source>
        <extracomment>Short for &quot;on pace to use {percent}&quot; (of a budget), where a card is narrow.</extracomment>
        <translation>{percent} erwartet</translation>
    </message>
    <message>
        <source>pace {percent}</source>
        <extracomment>Short for &quot;on pace for {percent}&quot;, where a card is narrow: &quot;▲ pace 104%&quot;.</extracomment>
        <translation>Kurs {percent}</translation>
    </message>
    <message>
        <source>{metric} value</source>
        <extracomment>What a card&apos;s big number says to a screen reader: &quot;Sales value&quot;.</extracomment>
        <translation>Wert {metric}</translation>
    </message>
    <message>
        <source>Today&apos;s score</source>
        <extracomment>The title of the scoreboard screen: today&apos;s numbers against their goals.</extracomment>
        <translation>Stand heute</translation>
    </message>
    <message>
        <source>No numbers yet: waiting for the first data from HQ.</source>
        <extracomment>The scoreboard before the first data ever arrived from headquarters.</extracomment>
        <translation>Noch keine Zahlen: Warten auf die ersten Daten der Zentrale.</translation>
    </message>
    <message>
        <source>{met} of {days} days met the goal</source>
        <extracomment>What a card&apos;s 14 small bars say to a screen reader: &quot;6 of 14 days met the goal&quot;.</extracomment>
        <translation>An {met} von {days} Tagen Ziel erreicht</translation>
    </message>
</context>
<context>
    <name>ShoutOuts</name>
    <message>
        <source>Shows {date}</source>
        <extracomment>Under a shout-out: the one day it is on the celebration screen.</extracomment>
        <translation>Sichtbar am {date}</translation>
    </message>
    <message>
        <source>Shows {start} – {end}</source>
        <extracomment>Under a shout-out: the days it is on the celebration screen.</extracomment>
        <translation>Sichtbar {start} – {end}</translation>
    </message>
    <message>
        <source>Shout-outs</source>
        <extracomment>The title of the manager&apos;s page of shout-outs (thank-yous to the team).</extracomment>
        <translation>Lob &amp; Dank</translation>
    </message>
    <message>
        <source>Add shout-out</source>
        <extracomment>The button that opens the editor of a new shout-out.</extracomment>
        <translation>Lob hinzufügen</translation>
    </message>
    <message>
        <source>Back</source>
        <extracomment>Back from the shout-outs to the entry list.</extracomment>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation>Vorherige Seite</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>Nächste Seite</translation>
    </message>
    <message>
        <source>On the celebration screen for {days}</source>
        <extracomment>Under the title: how long a shout-out shows (&quot;7 days&quot;, worded by the locale).</extracomment>
        <translation>Auf dem Feier-Bildschirm: {days}</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>No shout-outs yet. Tap “Add shout-out” to thank someone.</source>
        <extracomment>&quot;Add shout-out&quot; is the button&apos;s name: quote it as that button says it.</extracomment>
        <translation>Noch kein Lob. Auf „Lob hinzufügen“ tippen, um jemandem zu danken.</translation>
    </message>
    <message>
        <source>Tap again to delete</source>
        <extracomment>A shout-out&apos;s delete button; the second tap (within 5 s) deletes it.</extracomment>
        <translation>Nochmal tippen zum Löschen</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Delete shout-out: {text}</source>
        <extracomment>What a screen reader says for that button, then the shout-out&apos;s text.</extracomment>
        <translation>Lob löschen: {text}</translation>
    </message>
    <message>
        <source>New shout-out</source>
        <extracomment>The title of the page where a manager types a shout-out.</extracomment>
        <translation>Neues Lob</translation>
    </message>
    <message>
        <source>Who did what? For example: Maria: five-star review</source>
        <extracomment>Beside that title: what to type, with an example (any first name of your country).</extracomment>
        <translation>Wer hat was gemacht? Z.&#xa0;B.: Jana: 5-Sterne-Bewertung</translation>
    </message>
    <message>
        <source>Shout-out text</source>
        <translation>Text des Lobs</translation>
    </message>
    <message>
        <source>Type the shout-out here</source>
        <extracomment>Greyed in the empty text field.</extracomment>
        <translation>Lob hier eingeben</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
</context>
<context>
    <name>Window</name>
    <message>
        <source>Store scoreboard</source>
        <translation>Anzeigetafel der Filiale</translation>
    </message>
</context>
</TS>
