#!/usr/bin/env python3
"""Writes the plan fixtures deterministically: python3 Fixtures/generate.py

Plans look like what a model writes for the seed's wellness planner: metadata, then days with
activities, meals and tips. Text mixes accents, CJK, emoji, escaped quotes and newlines; some
strings are written with \\u escapes (surrogate pairs for emoji), others as raw UTF-8.
"""
import json, os, random, shutil

HERE = os.path.dirname(os.path.abspath(__file__))

ACTIVITIES = [
    ("Morning mobility", "Gentle joint circles; breathe \"in for 4, out for 6\"."),
    ("Yoga flow 🧘", "Sun salutations à la Ashtanga — keep it soft.\nRest in child's pose."),
    ("Brisk walk", "Walk outside; aim for 6,000 steps. Note how you feel: 😊 / 😐 / 😞"),
    ("冥想 meditation", "10 minutes of 正念 (mindfulness) — focus on the breath."),
    ("Strength circuit", "3 rounds: squats, push-ups, rows.\n\tRest 60 s between rounds."),
    ("Évening stretch", "Hamstrings, hips and shoulders; crème de la crème of recovery."),
    ("Journaling ✍️", "Write three things you're grateful for. \"Small wins\" count!"),
    ("Breathwork", "Box breathing 4-4-4-4; path C:\\calm\\mind is a joke, not a file."),
]
MEALS = [
    ("breakfast", "Overnight oats with berries 🫐", 380),
    ("breakfast", "Tortilla española & café con leche", 420),
    ("lunch", "Quinoa bowl with roasted vegetables 🥗", 540),
    ("lunch", "味噌汁 (miso soup) and brown rice", 480),
    ("dinner", "Grilled salmon, jacket potato, salad", 610),
    ("dinner", "Lentil dal with naan — spicy 🌶️", 590),
    ("snack", "Apple 🍎 and almond butter", 210),
    ("snack", "Greek yogurt with honey", 180),
]
TIPS = [
    "Drink water before each meal 💧.",
    "Sleep 7–9 hours; screens off at 22:00.",
    "If a session feels too hard, scale it — \"consistency > intensity\".",
    "Prépare tes repas le dimanche.",
    "Take the stairs 🪜 when you can.",
    "Übung macht den Meister: small steps daily.",
    "深呼吸をしましょう — take a deep breath.",
    "Log your mood: 1–5 ⭐.",
]
THEMES = ["Foundation", "Energy", "Balance", "Strength", "Recovery", "Focus", "Joy 🌞", "Rééquilibrage"]


def plan(days, seed):
    rng = random.Random(seed)
    metadata = {
        "title": f"{days}-Day Wellness Reset 🌱",
        "summary": "A gentle plan for movement, nutrition & rest.\nBuilt for busy people — \"small steps, every day\".",
        "goals": ["Move daily", "Eat more plants 🥦", "Sleep better", "Réduire le stress"],
        "duration": {"value": days, "unit": "days"},
        "difficulty": "beginner",
        "version": 2,
    }
    day_list = []
    for d in range(1, days + 1):
        acts = []
        for k in range(rng.randint(2, 4)):
            name, desc = rng.choice(ACTIVITIES)
            acts.append({
                "name": name,
                "time": f"{rng.randint(6, 20):02d}:{rng.choice([0, 15, 30, 45]):02d}",
                "duration_minutes": rng.choice([10, 15, 20, 30, 45]),
                "intensity": rng.choice([0.25, 0.5, 0.75, 1.0, 1.5e0]),
                "description": desc,
                "optional": rng.random() < 0.2,
            })
        meals = []
        for kind in ("breakfast", "lunch", "dinner", "snack"):
            options = [m for m in MEALS if m[0] == kind]
            m = rng.choice(options)
            meals.append({"type": m[0], "name": m[1], "calories": m[2] + rng.randint(-20, 20),
                          "notes": None if rng.random() < 0.6 else "Swap freely — \"use what you have\"."})
        day_list.append({
            "day": d,
            "title": f"Day {d}: {rng.choice(THEMES)}",
            "theme": rng.choice(THEMES),
            "activities": acts,
            "meals": meals,
            "tips": rng.sample(TIPS, 2),
            "water_liters": round(rng.uniform(1.5, 3.0), 1),
            "rest_day": d % 7 == 0,
        })
    return {"metadata": metadata, "days": day_list}


def encode(value, rng, indent, level=0):
    """JSON text; each string is randomly written with \\u escapes or as raw UTF-8."""
    pad = "" if indent is None else "\n" + " " * (indent * (level + 1))
    end = "" if indent is None else "\n" + " " * (indent * level)
    sep = ":" if indent is None else ": "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [pad + json.dumps(k) + sep + encode(v, rng, indent, level + 1) for k, v in value.items()]
        return "{" + ",".join(items) + end + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[" + ",".join(pad + encode(v, rng, indent, level + 1) for v in value) + end + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=rng.random() < 0.3)
    return json.dumps(value)


KANJI = "日動語眠字画食事本康健計睡文"


def in_japanese(value):
    """The value with every ASCII letter of its strings (not its keys) replaced by a kanji: long
    runs of three-byte UTF-8 between spaces, digits and punctuation, as in a plan a model writes
    in Japanese. The benchmark's non-Latin case."""
    if isinstance(value, str):
        return "".join(KANJI[ord(c) % len(KANJI)] if c.isascii() and c.isalpha() else c for c in value)
    if isinstance(value, dict):
        return {k: in_japanese(v) for k, v in value.items()}
    if isinstance(value, list):
        return [in_japanese(v) for v in value]
    return value


def write(name, text):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main():
    for days in (7, 30, 90):
        p = plan(days, seed=days)
        write(f"plan-{days}d.json", encode(p, random.Random(days), 2) + "\n")
        write(f"plan-{days}d.min.json", encode(p, random.Random(days), None))
    write("plan-90d.ja.min.json", json.dumps(in_japanese(plan(90, seed=90)), ensure_ascii=False, separators=(",", ":")))
    p = plan(365, seed=365)
    write("plan-365d.min.json", encode(p, random.Random(365), None))
    fenced = encode(plan(7, seed=7), random.Random(7), 2)
    write("plan-7d.fenced.txt",
          "Sure! Here is your 7-day plan — enjoy 🎉:\n\n```json\n" + fenced + "\n```\n\nLet me know if you want changes.\n")
    write("plan-30d.prose.txt",
          "Of course. I've made the plan [as requested]... no, wait, here it is:\n"
          + encode(plan(30, seed=30), random.Random(30), None) + "\nHope this helps! {not json}\n")
    write_malformed()
    write_embedded_plan()
    write_streams()


def pieces(text, seed):
    """The text cut into model-token-sized pieces (8 to 48 characters), deterministically."""
    rng = random.Random(seed)
    out, i = [], 0
    while i < len(text):
        n = rng.randint(8, 48)
        out.append(text[i:i + n])
        i += n
    return out


def write_streams():
    """Recorded-style provider streams of the 7-day plan for the client tests (Fixtures/streams)."""
    folder = os.path.join(HERE, "streams")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(HERE, "plan-7d.json"), encoding="utf-8") as f:
        plan_text = f.read()
    parts = pieces(plan_text, 7)
    cut = len(parts) * 3 // 5
    usage = {"promptTokenCount": 120, "candidatesTokenCount": 10, "totalTokenCount": 130}

    def gemini_event(text, finish=None, thought=False):
        part = {"text": text}
        if thought:
            part["thought"] = True
        candidate = {"content": {"parts": [part], "role": "model"}, "index": 0}
        if finish:
            candidate["finishReason"] = finish
        return "data: " + json.dumps({"candidates": [candidate], "usageMetadata": usage,
                                      "modelVersion": "gemini-2.5-pro"}, ensure_ascii=False) + "\r\n\r\n"

    thought = gemini_event("Planning a gentle week...", thought=True)
    full = thought + "".join(gemini_event(p) for p in parts[:-1]) + gemini_event(parts[-1], "STOP")
    write("streams/gemini-7d.sse", full)
    write("streams/gemini-max-tokens.sse", thought + "".join(gemini_event(p) for p in parts[:cut - 1])
          + gemini_event(parts[cut - 1], "MAX_TOKENS"))
    error = ('{\n  "error": {\n    "code": 499,\n    "message": "The operation was cancelled.",\n'
             '    "status": "CANCELLED"\n  }\n}\n')
    write("streams/gemini-error-mid-stream.sse", thought + "".join(gemini_event(p) for p in parts[:cut]) + error)
    write("streams/gemini-429.json", json.dumps({"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).",
                                                          "status": "RESOURCE_EXHAUSTED"}}, indent=2) + "\n")

    def openai_event(text, finish=None):
        delta = {"content": text} if text is not None else {}
        return "data: " + json.dumps({"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": "gpt-4o",
                                      "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]},
                                     ensure_ascii=False) + "\n\n"

    write("streams/openai-7d.sse", openai_event("") + "".join(openai_event(p) for p in parts)
          + openai_event(None, "stop") + "data: [DONE]\n\n")
    write("streams/openai-length.sse", "".join(openai_event(p) for p in parts[:cut])
          + openai_event(None, "length") + "data: [DONE]\n\n")
    write("streams/openai-500.json", json.dumps({"error": {"message": "The server had an error while processing your request.",
                                                          "type": "server_error", "code": None}}) + "\n")
    write("streams/ollama-7d.ndjson", "".join(json.dumps({"model": "llama3", "response": p, "done": False},
                                                         ensure_ascii=False) + "\n" for p in parts)
          + json.dumps({"model": "llama3", "response": "", "done": True, "done_reason": "stop"}) + "\n")

    plan = json.loads(plan_text)
    relay = ['data: {"type":"status","message":"Starting generation..."}\n\n',
             'data: ' + json.dumps({"type": "metadata", "metadata": plan["metadata"]}, ensure_ascii=False) + "\n\n"]
    for i, day in enumerate(plan["days"]):
        relay.append("data: " + json.dumps({"type": "day_complete", "day": i + 1, "total": 7, "data": day},
                                           ensure_ascii=False) + "\n\n")
        relay.append('data: {"type":"progress","bytes":0,"daysCompleted":%d,"expectedDays":7}\n\n' % (i + 1))
    relay.append("data: " + json.dumps({"type": "complete", "days": 7, "plan": plan}, ensure_ascii=False) + "\n\n")
    write("streams/relay-7d.sse", "".join(relay))


def write_embedded_plan():
    """The plan `planstream replay` streams when given no file: a copy of plan-7d.json that SwiftPM
    compiles into the tool as a resource (`.embedInCode`), which must live in the target's folder."""
    shutil.copyfile(os.path.join(HERE, "plan-7d.json"),
                    os.path.join(HERE, "..", "Sources", "planstream", "Resources", "default-plan.json"))


# Each malformed input, with the byte offset at which a strict parser must report the error.
MALFORMED = {
    "trailing-comma.json": (b'{"days": [{"day": 1},]}', 20),
    "single-quotes.json": (b"{'title': 'Calm'}", 1),
    "comment.json": (b'{"day": 1 // first\n}', 10),
    "unescaped-newline.json": (b'{"tip": "line one\nline two"}', 17),
    "invalid-utf8.json": (b'{"title": "caf\xe9"}', 14),
    "overlong-utf8.json": (b'["\xc0\xaf"]', 2),
    "lone-surrogate.json": (b'{"emoji": "\\ud83d"}', 11),
    "leading-zero.json": (b'{"calories": 0420}', 14),
    "nan.json": (b'{"water_liters": NaN}', 17),
    "python-literals.json": (b'{"rest_day": True}', 13),
    "missing-comma.json": (b'{"day": 1 "title": "x"}', 10),
    "unclosed-string.json": (b'{"title": "Calm', 15),
    "extra-closing.json": (b'{"days": []}}', 12),
    "bom.json": (b'\xef\xbb\xbf{"day": 1}', 0),
    "truncated-literal.json": (b'{"rest_day": tru', 16),
    "bad-escape.json": (b'{"path": "C:\\dir"}', 13),
    "missing-colon.json": (b'{"day" 1}', 7),
    "deep-nesting.json": (b"[" * 600 + b"]" * 600, 512),
    "empty.json": (b"", 0),
    "exponent-without-digits.json": (b'[1e]', 3),
}


def write_malformed():
    folder = os.path.join(HERE, "malformed")
    os.makedirs(folder, exist_ok=True)
    for name, (data, _) in MALFORMED.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
    with open(os.path.join(folder, "expected-offsets.json"), "w") as f:
        json.dump({name: offset for name, (_, offset) in MALFORMED.items()}, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
