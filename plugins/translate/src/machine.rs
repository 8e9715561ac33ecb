//! Machine translation of untranslated messages, from a server the user
//! grants with `--allow-net`: LibreTranslate (`POST /translate`,
//! `format=html`), any OpenAI-compatible chat API (`POST
//! /v1/chat/completions`, temperature 0: Ollama, llama.cpp server, vLLM)
//! or Apertium APy (`GET /translate`).
//!
//! Codes travel as HTML (`<g id="1">…</g>`, `<x id="2"/>`) to engines that
//! keep markup, and as written (`<1>…</1>`) to chat models told to keep
//! them; what comes back is read into codes again and goes through the same
//! checks as a human translation.

use std::fmt::Write;

use dochost_pdk::http;
use serde_json::{json, Value};

use crate::message;

/// Which API the server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    LibreTranslate,
    OpenAi,
    Apertium,
}

impl Engine {
    pub fn parse(name: &str) -> Result<Engine, String> {
        match name {
            "libretranslate" => Ok(Engine::LibreTranslate),
            "openai" => Ok(Engine::OpenAi),
            "apertium" => Ok(Engine::Apertium),
            other => Err(format!("option `mt`: unknown engine `{other}` (use libretranslate, openai or apertium)")),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Engine::LibreTranslate => "libretranslate",
            Engine::OpenAi => "openai",
            Engine::Apertium => "apertium",
        }
    }
}

/// A machine translation client for one session.
pub struct Machine {
    pub engine: Engine,
    url: String,
    source: String,
    target: String,
    model: String,
    key: Option<String>,
    batch: usize,
    /// Requests this session may still make.
    budget: u32,
}

/// Settings for [`Machine::new`].
pub struct Settings {
    pub engine: Engine,
    pub url: String,
    pub source: String,
    pub target: String,
    pub model: String,
    pub key: Option<String>,
    pub batch: usize,
    pub limit: u32,
}

impl Machine {
    pub fn new(settings: Settings) -> Machine {
        Machine {
            engine: settings.engine,
            url: settings.url.trim_end_matches('/').to_string(),
            source: settings.source,
            target: settings.target,
            model: settings.model,
            key: settings.key,
            batch: settings.batch.max(1),
            budget: settings.limit,
        }
    }

    /// Translations of `messages` (catalog form, with codes), in order; a
    /// message the cap left out is `None`. An unreachable server or an
    /// answer that is not what the API returns is an error naming both.
    pub fn translate(&mut self, messages: &[String]) -> Result<Vec<Option<String>>, String> {
        let mut out = Vec::with_capacity(messages.len());
        let per_request = if self.engine == Engine::LibreTranslate { self.batch } else { 1 };
        for chunk in messages.chunks(per_request) {
            if self.budget == 0 {
                out.extend(chunk.iter().map(|_| None));
                continue;
            }
            self.budget -= 1;
            let answers = match self.engine {
                Engine::LibreTranslate => self.libretranslate(chunk)?,
                Engine::OpenAi => vec![self.openai(&chunk[0])?],
                Engine::Apertium => vec![self.apertium(&chunk[0])?],
            };
            out.extend(answers.into_iter().map(Some));
        }
        Ok(out)
    }

    fn post_json(&self, path: &str, body: &Value) -> Result<Value, String> {
        let url = format!("{}{path}", self.url);
        let mut headers = vec![("content-type", "application/json".to_string())];
        if let (Engine::OpenAi, Some(key)) = (self.engine, &self.key) {
            headers.push(("authorization", format!("Bearer {key}")));
        }
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = http::request("POST", &url, &headers, Some(body.to_string().as_bytes()))
            .map_err(|e| format!("{} server {url} cannot be reached: {}", self.engine.name(), e.into_message()))?;
        self.json(&url, &response)
    }

    fn json(&self, url: &str, response: &http::Response) -> Result<Value, String> {
        let text = String::from_utf8_lossy(&response.body);
        if !(200..300).contains(&response.status) {
            return Err(format!("{} server {url} answered {}: {}", self.engine.name(), response.status, excerpt(&text)));
        }
        serde_json::from_str(&text)
            .map_err(|e| format!("{} server {url} answered something that is not JSON ({e}): {}", self.engine.name(), excerpt(&text)))
    }

    fn libretranslate(&self, messages: &[String]) -> Result<Vec<String>, String> {
        let q: Vec<String> = messages.iter().map(|m| message::to_elements(m, "g", "x")).collect();
        let mut body = json!({ "q": q, "source": self.source, "target": self.target, "format": "html" });
        if let Some(key) = &self.key {
            body["api_key"] = json!(key);
        }
        let answer = self.post_json("/translate", &body)?;
        let texts = match &answer["translatedText"] {
            Value::Array(items) => items.iter().map(|v| v.as_str().map(str::to_string)).collect::<Option<Vec<_>>>(),
            Value::String(one) if messages.len() == 1 => Some(vec![one.clone()]),
            _ => None,
        };
        match texts {
            Some(texts) if texts.len() == messages.len() => Ok(texts.iter().map(|t| message::from_elements(t)).collect()),
            _ => Err(format!(
                "libretranslate server {}/translate answered without {} translations in `translatedText`: {}",
                self.url,
                messages.len(),
                excerpt(&answer.to_string())
            )),
        }
    }

    fn openai(&self, message: &str) -> Result<String, String> {
        let instructions = format!(
            "Translate the user's text from {} to {}. It is one piece of a Markdown document. \
             Tags such as <1>, </1> and <2/> stand for formatting: keep every one of them exactly once, \
             around the words they belong to. Keep numbers and URLs as they are. \
             Answer with the translation only.",
            self.source, self.target
        );
        let body = json!({
            "model": self.model,
            "temperature": 0,
            "messages": [
                { "role": "system", "content": instructions },
                { "role": "user", "content": message },
            ],
        });
        let answer = self.post_json("/v1/chat/completions", &body)?;
        answer["choices"][0]["message"]["content"]
            .as_str()
            .map(|s| s.trim().to_string())
            .ok_or_else(|| format!("openai server {} answered without choices[0].message.content: {}", self.url, excerpt(&answer.to_string())))
    }

    fn apertium(&self, message: &str) -> Result<String, String> {
        let url = format!(
            "{}/translate?langpair={}%7C{}&markUnknown=no&format=html&q={}",
            self.url,
            encode(&self.source),
            encode(&self.target),
            encode(&message::to_elements(message, "g", "x"))
        );
        let response = http::get(&url).map_err(|e| format!("apertium server {} cannot be reached: {}", self.url, e.into_message()))?;
        let answer = self.json(&url, &response)?;
        answer["responseData"]["translatedText"]
            .as_str()
            .map(message::from_elements)
            .ok_or_else(|| format!("apertium server {} answered without responseData.translatedText: {}", self.url, excerpt(&answer.to_string())))
    }
}

/// Percent-encoding for a query value.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            write!(out, "%{b:02X}").unwrap();
        }
    }
    out
}

fn excerpt(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return "(an empty answer)".into();
    }
    let head: String = text.chars().take(120).collect();
    if head.len() < text.len() {
        format!("{head}…")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode("a b|<1>"), "a%20b%7C%3C1%3E");
        assert_eq!(encode("中"), "%E4%B8%AD");
    }

    #[test]
    fn engines_by_name() {
        assert_eq!(Engine::parse("openai"), Ok(Engine::OpenAi));
        assert!(Engine::parse("deepl").unwrap_err().contains("libretranslate, openai or apertium"));
    }
}
