# One-time editorial pass: shared restriction-history CSV -> resources/history/restrictions.csv
import csv, sys, io
SRC='/work/shared/data/restriction-history/restrictions.csv'
OUT='/work/main/resources/history/restrictions.csv'
rows=list(csv.DictReader(open(SRC, encoding='utf-8')))
cols=list(rows[0].keys())+['until_quality','notified_on']
out=[]
def line(i): return i+2  # CSV line number in the shared file
for i,r in enumerate(rows):
    r=dict(r); r['until_quality']=''; r['notified_on']=''
    n=line(i); r['_line']=n
    # half-open intervals: a fiscal year's last day 09-30 -> next 10-01
    if r['effective_until'].endswith('-09-30'):
        y=int(r['effective_until'][:4]); r['effective_until']=f'{y}-10-01'
    # the 'no determination' rows record that no restriction was imposed
    if n in (19,26): r['event']='note'; r['relief_type']=''
    # FY2000 instance of the Indonesia proviso, contained in the umbrella row 51
    if n==54: r['event']='note'
    if n==28: r['notified_on']='2015-04-14'
    if n==42: r['notified_on']='2020-10-26'
    if n==39:
        r['notified_on']='2008-06-26'
    if n==29: r['effective_until']=''
    if n==30:
        r['notified_on']='2025-01-14'; r['effective_from']='2025-02-28'; r['effective_until']='2025-01-20'; r['until_quality']='exact'
        r['description']=("Biden notified Congress on 2025-01-14 of the rescission of Cuba's designation (22 USC 2371(c)(2): effective no earlier than 45 days later, 2025-02-28); "
                          "on 2025-01-20 the new administration revoked it before it took effect, so Cuba never left the list.")
    if n==31: r['event']='note'; r['description']='Cuba back on the list 2025-01-20: the 2025-01-14 rescission was revoked before it took effect (see the lift row); the 2021 designation continues.'
    if n==48:
        r['scope']='security-assistance'
        r['effective_from']='2018-01-04'; r['date_quality']='exact'
        r['description']=("Security assistance to Pakistan suspended (announced by the Department of State on 2018-01-04), with case-by-case exceptions for programs critical to national security; "
                          "'the overall security assistance suspension for Pakistan remains in effect' (January 2020). End not found.")
        r['source']=r['source']+' ; https://nation.com.pk/04-Jan-2020/pak-us-military-training-program-resums-fater-authourisation-us-president'
    if n==49:
        # the August 2018 cut-off is the end of the IMET exception of January 2018 (DESIGN §1)
        exc=dict(r); exc.update({'kind':'policy','scope':'security-assistance','event':'relief','relief_type':'exception','relief_scope':'IMET',
             'effective_from':'2018-01-04','effective_until':'','date_quality':'exact','legal_basis':'presidential policy decision (case-by-case exception)',
             'description':'Case-by-case exception for programs critical to national security: IMET continued after the January 2018 suspension until Pakistan\'s participation was cut off in August 2018.',
             'until_quality':'','notified_on':''})
        out.append(exc)
        r.update({'scope':'security-assistance','event':'end','relief_type':'exception','relief_scope':'IMET','effective_until':'','until_quality':''})
        r['description']="Pakistan's IMET participation cut off in August 2018 (66 slots cancelled): the IMET exception ends (day not in sources read)."
    if n==50:
        r['notified_on']='2019-12-19'; r['scope']='security-assistance'
    out.append(r)
buf=io.StringIO()
w=csv.DictWriter(buf, fieldnames=cols, lineterminator='\n', extrasaction='ignore'); w.writeheader()
for r in out: w.writerow(r)
open(OUT,'w',encoding='utf-8').write(buf.getvalue())
print(len(out),'rows')

# ---- research rows (second pass) ----
import os, re
rows=out
# shared-file line numbers of the rows the research replaced or corrected
SHARED=list(csv.DictReader(open(SRC, encoding='utf-8')))
def shared_key(n):
    r=SHARED[n-2]; return (r['country_iso3'],r['kind'],r['event'],r['effective_from'],r['relief_scope'],r['description'])
def find(n):
    for r in rows:
        if r.get('_line')==n: return r
    raise SystemExit(f'shared line {n} not found')
replaced=[149,150,151,152,153,154,170,173,175,176]
repl_rows=[find(n) for n in replaced]
rows=[r for r in rows if not any(r is x for x in repl_rows)]
for n in (145,146,147,148):
    r=find(n); r['effective_from']='2010-10-25'; r['date_quality']='exact'
    r['source']+=' ; http://www.washingtonpost.com/wp-dyn/content/article/2010/10/27/AR2010102707157_pf.html'
    r['description']+=" PD 2011-4 was dated Monday 2010-10-25 (Washington Post, 2010-10-27)."
for n in (155,156,157,158,159):
    r=find(n); r['effective_from']='2013-10-01'
    r['description']+=" The determination of 2013-09-30 took effect with FY2014 (2013-10-01)."
for n in (171,172,174):
    r=find(n); r['date_quality']='exact'; r['relief_scope']='unspecified (a partial waiver; its programs were not found)'
    r['description']+=" The determinations are dated 2016-09-28, before FY2017; partial per US News/Yahoo and Wikipedia, programs not found."
for n in (186,187,188,189):
    r=find(n); r['relief_scope']+=';DCS'
    r['description']+=" PD 2023-01 also waives DCS licences related to other US Government assistance."
def norm_scope(text):
    if re.search(r'only\)', text): return 'unspecified (' + text + ')'
    if text.startswith('unspecified') or text=='full' or text=='': return text
    out=[]
    text=re.sub(r'\s*\([^)]*\)','',text)
    for t in text.split(';'):
        t=t.strip(); base=re.sub(r'\s*\(.*\)$','',t).strip()
        if base in ('331','1208'): continue
        if base not in out: out.append(base)
    return ';'.join(out)
# terror-policy: rows that replace shared rows, rows kept out (listed as gaps in the README)
TP='/work/research/terror-policy/rows.csv'
tp_keep=[]
if os.path.exists(TP):
    for r in csv.DictReader(open(TP, encoding='utf-8')):
        c=r['country_iso3']; ev=r['event']; k=r['kind']
        if c=='PAK': 
            find(48)['source']+=' ; '+r['source']; continue
        if c in ('YMD','AZE','COD'): continue
        if c=='NIC' and r['effective_from']<'2024': continue
        if c=='SDN' and k=='arrears': continue
        if ev=='lift' and r['relief_type'] not in ('certification','rescission',''): r['relief_type']=''
        if c=='KHM' and '(unspecified' in r['scope']: continue
        if c=='GTM' and r['effective_from']>='2007': continue
        if c=='IDN': continue
        tp_keep.append(r)
    for n in (28,34,35,37,38,39,42):
        x=find(n); rows=[r for r in rows if r is not x]
    find(36)['effective_until']='2006-06-30'
    find(53)['event']='note'
    find(53)['description']+=' (the FY2000 instance of the 1997-2006 E-IMET-only proviso, see its row)'
    for r in tp_keep:
        if r['country_iso3']=='IRQ' and r['event']=='lift' and r['effective_from']=='2004-10-20':
            r['notified_on']='2004-09-24'; r['legal_basis']+=' ; 22 USC 2371(c)(1) (fundamental change)'
            r['description']+=(" The report certified a fundamental change in Iraq's leadership and policies (State, Boucher: 'to reflect the fundamental change in the country's leadership and policies'); "
                               "notified_on is the date of the President's certification memorandum (2004-09-24); the day it reached Congress was not found.")
            r['source']+=' ; https://911plus.org/10202004-merle-d-kellerhals-jr/ ; https://georgewbush-whitehouse.archives.gov/news/releases/2004/10/print/text/20041022-7.html'
# coups: corrections to shared rows, rows kept out (gaps: no end found, or no tracked program)
CP='/work/research/coups/rows.csv'
cp_keep=[]
if os.path.exists(CP):
    for r in csv.DictReader(open(CP, encoding='utf-8')):
        c=r['country_iso3']
        if c=='MLI' and r['effective_from']=='2021-05-26': continue
        if c=='SDN': continue
        if c=='NER' and r['effective_from']=='2009-12-23': continue
        if c=='GIN': continue
        cp_keep.append(r)
    x=find(11); x['effective_until']='2014-05-27'
    x=find(12); x['effective_from']='2014-05-27'; x['date_quality']='exact'
    x['description']="The United States lifted all remaining restrictions on direct assistance to Madagascar on Tuesday 2014-05-27 (Reuters, Xinhua, NDTV), after the 2013 elections."
    x['source']+=' ; http://news.trust.org/item/20140528012801-oxg1j/?source=fiTheWire ; http://news.xinhuanet.com/english/world/2014-05/28/c_133367314.htm'
    x=find(25); x['effective_until']='2025-05-28'; x['until_quality']='approx'
    x['description']=x['description'].replace(' Lift after 2025 election not found.','')+' Lifted about 2025-05-28 (see the lift row).'
    x=find(22); x['date_quality']='approx'
    x['description']+=" Blinken's statement came out Friday 2023-08-04 US time; State's own October statement says August 5."
    x['source']+=' ; https://www.spokesman.com/stories/2023/aug/05/us-pauses-some-foreign-aid-for-niger-after-preside/'
    x=find(18); x['effective_from']='2021-09-13'; x['date_quality']='exact'
    x['description']="Coup 2021-09-05 (Doumbouya ousted Conde). Pentagon spokesman Kirby (Mon 2021-09-13): 'until that review is complete, there's going to be no further training or support to the Guinean armed forces'. Formal 7008 determination date not found."
    x['source']='https://www.urdupoint.com/en/world/us-halts-military-training-support-for-guine-1350209.html ; '+x['source']
ADDED={}
for folder in ('cspa','coups','terror-policy'):
    p=f'/work/research/{folder}/rows.csv'
    if not os.path.exists(p): continue
    source_rows = tp_keep if folder=='terror-policy' else cp_keep if folder=='coups' else csv.DictReader(open(p, encoding='utf-8'))
    for r in source_rows:
        r={k:(v or '') for k,v in r.items() if k in cols}
        for c in cols: r.setdefault(c,'')
        if r['event']=='relief': r['relief_scope']=norm_scope(r['relief_scope'])
        r['scope']=norm_scope(r['scope']) if '(' in r['scope'] and 'E-IMET' not in r['scope'] else r['scope']
        if r['effective_until'].endswith('-09-30') and r['kind'] in ('child-soldiers','proviso'):
            r['effective_until']=f"{int(r['effective_until'][:4])}-10-01"
        rows.append(r); ADDED.setdefault(folder,[]).append((r['kind'],r['event']))
for r in rows:
    seen=[]
    for part in (r['source'] or '').split(' ; '):
        part=part.strip()
        if part and part not in seen: seen.append(part)
    r['source']=' ; '.join(seen)
buf=io.StringIO()
w=csv.DictWriter(buf, fieldnames=cols, lineterminator='\n', extrasaction='ignore'); w.writeheader()
for r in rows: w.writerow(r)
open(OUT,'w',encoding='utf-8').write(buf.getvalue())
print(len(rows),'rows after research')
import collections
for f,v in ADDED.items(): print(f, len(v), collections.Counter(v))
