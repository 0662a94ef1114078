/**
 * The progress line of the 我的待办 page, which has its own inline script rather than the
 * forms' bundle: the same rule as addon/src/client/syncProgress.ts (GET /api/status every
 * second while a sync runs, every few seconds otherwise; shown once a sync has run over
 * 2 s), in the page script's plain style.
 */
export const SYNC_PROGRESS_CSS = `
.sync-progress{position:fixed;right:12px;bottom:12px;max-width:calc(100vw - 24px);margin:0;padding:6px 12px;border:1px solid #d0d7de;border-radius:16px;background:#ddf4ff;color:#1f2328;font-size:13px;box-shadow:0 1px 3px rgba(31,35,40,.2)}
.sync-progress[hidden]{display:none}
`;

export const SYNC_PROGRESS_JS = `
(function(){
  var line=document.createElement('p');
  line.className='sync-progress';line.setAttribute('role','status');line.hidden=true;
  document.body.appendChild(line);
  function tick(){
    fetch('/api/status',{credentials:'same-origin',cache:'no-store'}).then(function(r){
      if(!r.ok)throw new Error(String(r.status));return r.json();
    }).then(function(s){
      var p=s.running&&s.progress;
      var show=p&&!(Date.now()-Date.parse(p.startedAt)<2000);
      line.hidden=!show;
      if(show)line.textContent='正在同步：'+p.phase+' '+p.percent+'%';
      setTimeout(tick,s.running?1000:5000);
    },function(){line.hidden=true;setTimeout(tick,10000);});
  }
  tick();
})();
`;
