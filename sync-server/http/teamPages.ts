/**
 * The sign-in page and the 我的待办 page of local mode: self-contained HTML (script and
 * styles inline, allowed by hash in their CSP). They hold no workbook data; the
 * 我的待办 page asks /api/me and /api/worklist with the session cookie.
 */
import { createHash } from 'node:crypto';
import { SYNC_PROGRESS_CSS, SYNC_PROGRESS_JS } from './syncProgressScript.ts';

export interface StaticPage {
  html: string;
  csp: string;
}

const CSS =
  `
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
main{max-width:880px;margin:0 auto;padding:16px}
h1{font-size:22px;margin:8px 0 4px}
.sub{color:#656d76;margin:0 0 16px}
header.bar{display:flex;flex-wrap:wrap;gap:8px;align-items:center;justify-content:space-between;margin-bottom:8px}
header.bar nav{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
a{color:#0969da}
button,.button{font:inherit;padding:6px 14px;border-radius:6px;border:1px solid #1f883d;background:#1f883d;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:#1f2328;border-color:#d0d7de}
section.group{margin:16px 0}
section.group h2{font-size:16px;margin:0 0 8px;display:flex;gap:8px;align-items:center}
.count{background:#eaeef2;border-radius:10px;padding:0 8px;font-size:13px}
ol.items{list-style:none;margin:0;padding:0}
ol.items li{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px 12px;margin-bottom:8px;display:grid;grid-template-columns:1fr auto;gap:4px 12px;align-items:center}
.who{font-weight:600;overflow-wrap:anywhere}
.who .id{color:#656d76;font-weight:400;margin-left:6px}
.meta{color:#656d76;font-size:13px;display:flex;flex-wrap:wrap;gap:4px 12px}
.reason{grid-column:1;overflow-wrap:anywhere}
.strategy{grid-column:1;color:#5f6368;font-size:13px;overflow-wrap:anywhere}
.act{grid-column:2;grid-row:1 / span 4;align-self:center}
.kind{display:inline-block;border-radius:4px;padding:0 6px;font-size:13px;background:#ddf4ff;color:#0550ae;margin-right:6px;font-weight:400}
.late{color:#cf222e;font-weight:600}
.flag{color:#9a6700;font-weight:600}
.more-row{margin:4px 0 0;text-align:center}
.more-row button{width:100%}
.empty{background:#fff;border:1px dashed #d0d7de;border-radius:6px;padding:16px;color:#656d76}
.error{color:#cf222e}
.notice{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:8px 10px;margin:8px 0 0}
[hidden]{display:none!important}
form.signin{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:20px;max-width:360px;margin:48px auto}
form.signin label{display:block;margin:12px 0 4px}
form.signin input{font:inherit;width:100%;padding:8px;border:1px solid #d0d7de;border-radius:6px}
form.signin button{width:100%;margin-top:16px;padding:8px}
@media (max-width:520px){
  main{padding:10px}
  ol.items li{grid-template-columns:1fr}
  .act{grid-column:1;grid-row:auto}
  .act .button{width:100%;text-align:center}
}
` + SYNC_PROGRESS_CSS;

const SIGN_IN_JS = `
(function(){
  var form=document.getElementById('signin');
  var msg=document.getElementById('msg');
  var why=new URLSearchParams(location.search).get('why');
  var said=document.getElementById('why');
  if(why==='expired')said.textContent='登录已过期，请重新登录后继续。';
  else if(why==='required')said.textContent='请先登录后继续。';
  said.hidden=!said.textContent;
  form.addEventListener('submit',function(e){
    e.preventDefault();
    msg.textContent='正在登录…';
    fetch('/api/session',{method:'POST',headers:{'Content-Type':'application/json'},credentials:'same-origin',
      body:JSON.stringify({login:form.login.value.trim(),password:form.password.value})})
    .then(function(res){
      if(res.ok){
        var next=new URLSearchParams(location.search).get('next')||'/';
        location.href=/^\\/(?!\\/)/.test(next)?next:'/';
        return;
      }
      return res.json().then(function(b){msg.textContent=(b&&b.error&&b.error.message)||('登录失败（HTTP '+res.status+'）');},
        function(){msg.textContent='登录失败（HTTP '+res.status+'）';});
    },function(){msg.textContent='无法连接同步服务：请确认它仍在运行';});
  });
})();
`;

const WORKLIST_JS = `
(function(){
  var root=document.getElementById('app');
  function el(tag,attrs,kids){
    var e=document.createElement(tag);
    for(var k in attrs||{}){if(attrs[k]!==undefined&&attrs[k]!==null)e.setAttribute(k,attrs[k]);}
    (kids||[]).forEach(function(c){if(c===null||c===undefined)return;e.appendChild(typeof c==='string'?document.createTextNode(c):c);});
    return e;
  }
  function get(path){
    return fetch(path,{credentials:'same-origin',cache:'no-store'}).then(function(res){
      if(res.status===401){
        return res.json().catch(function(){return null;}).then(function(b){
          var why=b&&b.error&&b.error.details&&b.error.details.signIn==='expired'?'expired':'required';
          location.replace('/login?next='+encodeURIComponent(location.pathname+location.search)+'&why='+why);
          throw new Error('');
        });
      }
      return res.json().then(function(b){if(!res.ok)throw new Error((b&&b.error&&b.error.message)||('HTTP '+res.status));return b;});
    });
  }
  function formLink(it){
    var q=new URLSearchParams();
    if(it.customerId)q.set('customer',it.customerId);
    if(it.ref)q.set('ref',it.ref);
    return '/forms/'+encodeURIComponent(it.form)+'?'+q.toString();
  }
  var LABEL={'follow-up':'记录跟进','visit-record':'填写回访记录','experience-survey':'填写体验问卷','handle-ticket':'处理工单','review-visit':'审核'};
  function item(it){
    var meta=[el('span',{},['到期 '+it.due])];
    if(it.overdueDays>0)meta.push(el('span',{class:'late'},['逾期 '+it.overdueDays+' 天']));
    if(it.flag)meta.push(el('span',{class:'flag'},[it.flag]));
    if(it.phone)meta.push(el('a',{href:'tel:'+it.phone.replace(/[^0-9+*]/g,'')},[it.phone]));
    return el('li',{'data-kind':it.kind,'data-customer':it.customerId,'data-ref':it.ref||''},[
      el('div',{class:'who'},[el('span',{class:'kind'},[it.kind]),it.customerId?el('a',{href:'/customers/'+encodeURIComponent(it.customerId)},[it.customerName||it.customerId]):it.customerName,el('span',{class:'id'},[it.customerId])]),
      el('div',{class:'meta'},meta),
      el('div',{class:'reason'},[it.reason]),
      it.strategy?el('div',{class:'strategy'},['服务策略：'+it.strategy]):null,
      el('div',{class:'act'},[el('a',{class:'button',href:formLink(it)},[LABEL[it.form]||'去处理'])])
    ]);
  }
  function worklistUrl(extra){
    var q=new URLSearchParams(extra||{});
    if(date)q.set('date',date);
    var t=q.toString();
    return '/api/worklist'+(t?'?'+t:'');
  }
  function group(key,title,list,emptyText){
    var items=list.items.filter(function(i){return (i.overdueDays>0)===(key==='overdue');});
    var total=list.total?list.total[key]:items.length;
    var next=list.next?list.next[key]:null;
    var ol=el('ol',{class:'items'},items.map(item));
    var section=el('section',{class:'group','data-group':key},[
      el('h2',{},[title,el('span',{class:'count'},[String(total)])]),
      total?ol:el('p',{class:'empty'},[emptyText])
    ]);
    function more(){
      if(next===null||next===undefined)return null;
      var left=total-next;
      var b=el('button',{type:'button',class:'secondary more'},['还有 '+left+' 项，再显示 '+Math.min(left,100)+' 项']);
      b.addEventListener('click',function(){
        b.disabled=true;b.textContent='正在读取…';
        get(worklistUrl({group:key,offset:String(next),limit:'100'})).then(function(page){
          page.items.forEach(function(it){ol.appendChild(item(it));});
          total=page.total[key];next=page.next[key];
          var again=more();
          if(again)b.replaceWith(again);else b.remove();
        },function(e){b.disabled=false;b.textContent='读取失败，再试一次';if(e.message)b.title=e.message;});
      });
      return b;
    }
    var m=more();
    if(m)section.appendChild(el('p',{class:'more-row'},[m]));
    return section;
  }
  function signOut(){
    fetch('/api/session',{method:'DELETE',credentials:'same-origin'}).then(function(){location.href='/login';},function(){location.href='/login';});
  }
  var params=new URLSearchParams(location.search);
  var date=params.get('date');
  Promise.all([get('/api/me'),get(worklistUrl())]).then(function(r){
    var me=r[0],list=r[1];
    var out=el('button',{type:'button',class:'secondary'},['退出登录']);
    out.addEventListener('click',signOut);
    var nav=[el('a',{href:'/forms'},['全部表单']),el('a',{href:'/customers'},['客户列表'])];
    if(me.role==='经理'||me.role==='管理员')nav.push(el('a',{href:'/import'},['批量导入']),el('a',{href:'/api/report?format=pdf'},['导出报表 PDF']),el('a',{href:'/api/report?format=xlsx'},['导出报表 Excel']));
    nav.push(out);
    root.replaceChildren(
      el('header',{class:'bar'},[el('div',{},[el('h1',{},['我的待办']),el('p',{class:'sub'},[me.name+'（'+me.role+'）· '+list.date])]),el('nav',{},nav)]),
      group('overdue','逾期',list,'没有逾期的事项'),
      group('today','今日',list,'今天没有待办事项')
    );
  },function(e){if(e.message)root.replaceChildren(el('p',{class:'error',role:'alert'},[e.message]));});
})();
`;

const sha256 = (text: string): string =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

function page(title: string, body: string, js: string): StaticPage {
  const html = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${CSS}</style>
</head>
<body>
${body}
<script>${js}</script>
</body>
</html>
`;
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(js)}`,
    `style-src ${sha256(CSS)}`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, csp };
}

export const SIGN_IN_PAGE = page(
  '登录 · 表格客户管理',
  `<main><form id="signin" class="signin" novalidate>
<h1>表格客户管理</h1><p class="sub">请用“用户”表中的登录名登录</p>
<p id="why" class="notice" role="status" hidden></p>
<label for="login">登录名</label><input id="login" name="login" autocomplete="username" autocapitalize="none" required>
<label for="password">密码</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">登录</button>
<p id="msg" class="error" role="alert"></p>
</form></main>`,
  SIGN_IN_JS,
);

export const WORKLIST_PAGE = page(
  '我的待办 · 表格客户管理',
  `<main id="app"><p class="sub">正在读取我的待办…</p><noscript>请启用 JavaScript 后使用本页。</noscript></main>`,
  WORKLIST_JS + SYNC_PROGRESS_JS,
);
