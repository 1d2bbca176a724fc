// App::bench_frames: frames rendered off-screen while the controls sweep, as
// a hand dragging the heads slider would, paced as the window's event loop;
// prints frame times and the latency from a change to the first frame that
// draws it.

#include <thread>

#include <nlohmann/json.hpp>

#include "app/session/percentiles.hpp"
#include "app/ui/app_impl.hpp"
#include "app/ui/gl.hpp"
#include "app/ui/offscreen_target.hpp"
#include "core/shape_edit.hpp"

namespace abh {

std::string App::bench_frames(int frames) {
  using Clock = Session::Clock;
  Impl& m = *impl_;
  const int width = m.config.width, height = m.config.height;
  OffscreenTarget target(width, height);
  if (!target.ok()) return "{\"error\": \"cannot render off-screen\"}";
  Session& session = *m.session;
  session.wait_for_trace();
  session.take_change_latency_ms();
  const Shape base = session.state().shape;
  std::vector<std::int64_t> head_steps;
  for (std::int64_t h : divisors(base.attention_width()))
    if (h <= 64) head_steps.push_back(h);

  // Frames are paced at 60 Hz. A sweep is drags: the heads slider moves one step a frame for
  // `drag_frames` frames (seq wobbling too), then the hand holds still until
  // the view shows the last choice complete. Latency runs from that last
  // change to the end of the first frame that draws it, complete_ms to the
  // first frame that draws all of it; frame times cover every frame.
  constexpr int drag_frames = 8;
  std::vector<double> frame_ms, ui_ms, upload_ms, render_ms, latencies, completes;
  // Where each shown change's latency went: waiting for the worker, its
  // phases, and the wait until a frame picked the finished snapshot up.
  std::vector<double> queue_ms, inputs_ms, multi_ms, single_ms, reduce_ms, pickup_ms;
  bool awaiting_complete = false;
  Clock::time_point completed_change;
  std::size_t step = 0;
  int changes = 0, drags = 0, in_drag = 0, quiet = 0;
  bool waiting = false;
  for (int f = 0; f < frames; ++f) {
    if (in_drag > 0 || !waiting) {
      if (in_drag == 0) {
        in_drag = drag_frames;
        ++drags;
      }
      Shape s = with_heads(base, head_steps[step % head_steps.size()], true);
      s.seq = std::max<std::int64_t>(1, base.seq - static_cast<std::int64_t>(step % 5));
      if (session.snapshot() && session.snapshot()->key.shape == s) s.seq = s.seq > 1 ? s.seq - 1 : s.seq + 1;
      session.state().shape = s;
      ++step;
      ++changes;
      --in_drag;
      waiting = true;
      quiet = 0;
    } else {
      ++quiet;
    }
    const auto start = Clock::now();
    m.draw_frame(target.framebuffer(), width, height, false, 1.0f);
    ui_ms.push_back(m.last_ui_ms);
    upload_ms.push_back(m.textures.upload_ms());
    glFinish();
    const auto end = Clock::now();
    frame_ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
    render_ms.push_back(frame_ms.back() - ui_ms.back());
    const auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
    if (const double latency = session.take_change_latency_ms(); latency >= 0) {
      latencies.push_back(latency);
      const TraceSnapshot& shown = *session.snapshot();
      queue_ms.push_back(ms(shown.started - session.change_time()));
      inputs_ms.push_back(shown.inputs_ms);
      multi_ms.push_back(shown.multi_trace_ms);
      single_ms.push_back(shown.single_trace_ms);
      reduce_ms.push_back(shown.reduce_ms);
      pickup_ms.push_back(ms(end - shown.finished));
      awaiting_complete = true;
      completed_change = session.change_time();
    }
    // Complete: the answer to the last change drawn with every texture.
    if (awaiting_complete && session.current() && m.textures.complete()) {
      completes.push_back(ms(end - completed_change));
      awaiting_complete = false;
      waiting = false; // the hand moves again once the view is complete
    }
    // Paced as App::run: 60 Hz with vsync while the hand moves or anything
    // animates, the rest of each frame idle; once the view is quiet, the next
    // frame waits for a new snapshot (or the idle timeout).
    if (const double idle = m.idle_wait_seconds(quiet); idle > 0)
      session.wait_for_snapshot(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(idle)));
    else
      std::this_thread::sleep_until(start + std::chrono::microseconds(16667));
  }
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  nlohmann::json j = {
      {"frames", frames},
      {"shape", describe(base)},
      {"window", {width, height}},
      {"changes", changes},
      {"drags", drags},
      {"changes_shown", latencies.size()},
      {"frame_ms", {{"median", percentile(frame_ms, 50)}, {"p95", percentile(frame_ms, 95)},
                    {"max", percentile(frame_ms, 100)}}},
      {"ui_ms", {{"median", percentile(ui_ms, 50)}, {"p95", percentile(ui_ms, 95)}}},
      {"latency_ms", {{"median", percentile(latencies, 50)}, {"p95", percentile(latencies, 95)}}},
      {"complete_ms", {{"median", percentile(completes, 50)}, {"p95", percentile(completes, 95)}}}};
  const auto medians = [](const std::vector<double>& v) {
    return nlohmann::json{{"median", percentile(v, 50)}, {"p95", percentile(v, 95)}};
  };
  j["frame_breakdown_ms"] = {{"ui", medians(ui_ms)}, {"upload", medians(upload_ms)},
                             {"render", medians(render_ms)}};
  j["latency_breakdown_ms"] = {{"queue", medians(queue_ms)},   {"inputs", medians(inputs_ms)},
                               {"multi_trace", medians(multi_ms)}, {"single_trace", medians(single_ms)},
                               {"reduce", medians(reduce_ms)}, {"pickup", medians(pickup_ms)}};
  session.state().shape = base;
  return j.dump(2);
}

} // namespace abh
