/**
 * The import page of local mode: one self-contained HTML (script and styles inline,
 * allowed by hash in its CSP). Pick a file, see the mapping and what a dry run would
 * do, then confirm. A signed-in person's session cookie goes with the upload; a token
 * link (#token=…, like the forms') works too and is shared with them through sessionStorage.
 */
import { createHash } from 'node:crypto';

const CSS = `
body{font:14px/1.5 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
main{max-width:960px;margin:0 auto;padding:16px}
h1{font-size:20px;margin:8px 0 16px}
section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px 16px;margin-bottom:12px}
label{margin-right:12px}
button{padding:6px 14px;border-radius:6px;border:1px solid #1f883d;background:#1f883d;color:#fff;cursor:pointer}
button[disabled]{opacity:.5;cursor:default}
button.secondary{background:#fff;color:#1f2328;border-color:#d0d7de}
table{border-collapse:collapse;width:100%;margin-top:8px}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
.counts span{display:inline-block;margin-right:16px;font-weight:600}
.error{color:#cf222e}
#status.warn{color:#9a6700}
.warn{color:#9a6700}
.muted{color:#656d76}
`;

const JS = `
(function(){
  var KEY='crm-sync-token';
  function takeToken(){
    var url=new URL(location.href);
    var hash=new URLSearchParams(url.hash.replace(/^#/,''));
    var t=hash.get('token')||url.searchParams.get('token');
    if(!t){try{return sessionStorage.getItem(KEY);}catch(e){return null;}}
    try{sessionStorage.setItem(KEY,t);}catch(e){}
    hash.delete('token');url.searchParams.delete('token');
    var rest=hash.toString();
    history.replaceState(history.state,'',url.pathname+url.search+(rest?'#'+rest:''));
    return t;
  }
  var token=takeToken();
  var $=function(id){return document.getElementById(id);};
  var file=$('file'),mode=$('mode'),preview=$('preview'),confirmBtn=$('confirm'),out=$('out'),status=$('status');
  function el(tag,text,cls){var e=document.createElement(tag);if(text!==undefined)e.textContent=String(text);if(cls)e.className=cls;return e;}
  function table(headers,rows){
    var t=el('table'),tr=el('tr');
    headers.forEach(function(h){tr.appendChild(el('th',h));});t.appendChild(tr);
    rows.forEach(function(r){var row=el('tr');r.forEach(function(c){if(c instanceof Node){var td=el('td');td.appendChild(c);row.appendChild(td);}else row.appendChild(el('td',c));});t.appendChild(row);});
    return t;
  }
  var LIMIT=200;
  // Each existing customer a row repeats, by name, linked to its page (opened beside the
  // preview; rel=opener lets that tab share this one's sign-in token).
  function duplicateOf(x){
    var span=el('span');
    var text=function(t){span.appendChild(document.createTextNode(t));};
    (x.matches||[]).forEach(function(m,i){
      if(i)text('；');
      var why='重复（'+m.reasons.join('、')+'）';
      if(m.customerId){
        text('与客户 ');
        var a=el('a',m.customerId+' '+(m.name||''));
        a.href='/customers/'+encodeURIComponent(m.customerId);a.target='_blank';a.rel='opener';
        span.appendChild(a);text(' '+why);
      }else text(m.sourceRow!==undefined?'与导入文件第 '+m.sourceRow+' 行“'+(m.name||'')+'”'+why:'与工作簿第 '+m.row+' 行“'+(m.name||'')+'”'+why);
    });
    return (x.matches||[]).length?span:x.reason;
  }
  function render(r){
    out.textContent='';
    var s=el('section');
    s.appendChild(el('h2',r.dryRun?'预览结果（尚未写入）':'导入完成'));
    var c=el('div',undefined,'counts');
    [['新增',r.added],['更新',r.updated],['跳过',r.skipped],['拒绝',r.rejected]].forEach(function(p){c.appendChild(el('span',p[0]+' '+p[1]));});
    s.appendChild(c);
    var src=r.source||{};
    s.appendChild(el('p',(src.format==='xlsx'?'xlsx 工作表“'+src.sheet+'”':'CSV（'+src.encoding+'）')+'，表头在第 '+r.headerRow+' 行'+(r.blankRows?'，空行 '+r.blankRows+' 行':''),'muted'));
    if(r.sync)s.appendChild(el('p','已同步：'+r.sync.result,'muted'));
    out.appendChild(s);
    var m=el('section');m.appendChild(el('h2','列对应'));
    m.appendChild(table(['文件中的列','导入到'],r.mapping.map(function(x){return [x.source,x.header];}).concat(r.ignoredColumns.map(function(x){return [x.source,'（不导入：'+x.reason+'）'];}))));
    if(r.defaults&&r.defaults.length)m.appendChild(el('p','文件没有给出时按默认值填写：'+r.defaults.map(function(d){return d.header+' = '+d.value;}).join('，'),'muted'));
    if(r.missingColumns.length)m.appendChild(el('p','文件中没有的列：'+r.missingColumns.join('、'),'muted'));
    out.appendChild(m);
    if(r.problems.length){
      var p=el('section');p.appendChild(el('h2','数据问题（'+r.problems.length+'）'));
      p.appendChild(table(['行','列','值','问题','级别'],r.problems.slice(0,LIMIT).map(function(x){return [x.sourceRow,x.column,x.value,x.message,x.level];})));
      if(r.problems.length>LIMIT)p.appendChild(el('p','只显示前 '+LIMIT+' 个','muted'));
      out.appendChild(p);
    }
    if(r.duplicates.length){
      var d=el('section');d.appendChild(el('h2','疑似重复（'+r.duplicates.length+'）'));
      var act={skipped:'跳过',updated:'补填空白',added:'仍然新增',rejected:'拒绝'};
      d.appendChild(table(['行','重复对象与原因','处理'],r.duplicates.slice(0,LIMIT).map(function(x){return [x.sourceRow,duplicateOf(x),act[x.action]||x.action];})));
      if(r.duplicates.length>LIMIT)d.appendChild(el('p','只显示前 '+LIMIT+' 个','muted'));
      out.appendChild(d);
    }
  }
  // Without a token link the upload goes with the session cookie; when there is neither,
  // the server's 401 message is followed by a way to sign in and come back here.
  function signInLink(){
    var a=el('a','登录');a.href='/login?next='+encodeURIComponent(location.pathname+location.search);
    status.appendChild(document.createTextNode(' '));status.appendChild(a);
  }
  function send(dry){
    var f=file.files&&file.files[0];
    if(!f){status.textContent='请先选择文件';return;}
    preview.disabled=true;confirmBtn.disabled=true;status.textContent=dry?'正在预览……':'正在导入……';
    var headers={'Content-Type':'application/octet-stream'};
    if(token)headers.Authorization='Bearer '+token;
    fetch('/api/import?dryRun='+(dry?'1':'0')+'&onDuplicate='+encodeURIComponent(mode.value),{method:'POST',headers:headers,body:f,cache:'no-store',credentials:'same-origin'})
      .then(function(res){return res.json().then(function(body){return {ok:res.ok,status:res.status,body:body};});})
      .then(function(x){
        preview.disabled=false;
        if(!x.ok){status.textContent=(x.body.error&&x.body.error.message)||'导入失败';status.className='error';if(x.status===401)signInLink();var d=x.body.error&&x.body.error.details;if(d&&d.mapping)render(d);return;}
        var r=x.body,n=r.added+r.updated;
        status.className=n?'':'warn';
        status.textContent=dry?(n?'确认无误后点击“确认导入”':'没有可新增或更新的行（拒绝 '+r.rejected+' 行，跳过 '+r.skipped+' 行），无法导入：请按下方问题修改文件后重新预览'):'已写入工作簿：新增 '+r.added+' 行，更新 '+r.updated+' 行，跳过 '+r.skipped+' 行，拒绝 '+r.rejected+' 行';
        render(r);
        confirmBtn.disabled=!dry||n===0;
      })
      .catch(function(){preview.disabled=false;status.className='error';status.textContent='无法连接同步服务：请确认它仍在运行，然后重试';});
  }
  file.addEventListener('change',function(){confirmBtn.disabled=true;out.textContent='';status.textContent='';});
  mode.addEventListener('change',function(){confirmBtn.disabled=true;});
  preview.addEventListener('click',function(){send(true);});
  confirmBtn.addEventListener('click',function(){send(false);});
})();
`;

const sha256 = (text: string): string =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export const IMPORT_PAGE = {
  html: `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>批量导入客户</title>
<style>${CSS}</style>
</head>
<body>
<main>
<nav class="muted"><a href="/forms">‹ 全部表单</a> · <a href="/">我的待办</a></nav>
<h1>批量导入客户</h1>
<section>
<p class="muted">支持 CSV（UTF-8 或 GBK）和 xlsx。先预览查看列对应和结果，确认后才写入工作簿。没有建档日期的行按今天、没有客户等级的按普通客户。</p>
<p>下载导入模板：<a href="/import/template.xlsx">xlsx</a> · <a href="/import/template.csv">CSV</a></p>
<p><label>文件 <input id="file" type="file" accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"></label></p>
<p><label>遇到疑似重复 <select id="mode"><option value="skip">跳过</option><option value="update">只补填已有客户的空白信息</option><option value="add">仍然新增</option></select></label></p>
<p><button id="preview" type="button" class="secondary">预览</button> <button id="confirm" type="button" disabled>确认导入</button> <span id="status" role="status"></span></p>
</section>
<div id="out"></div>
</main>
<script>${JS}</script>
</body>
</html>
`,
  csp: [
    "default-src 'none'",
    `script-src ${sha256(JS)}`,
    `style-src ${sha256(CSS)}`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
};
