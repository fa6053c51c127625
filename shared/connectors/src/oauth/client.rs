//! `OAuth2Client`: the port on the `oauth2` crate.

use std::time::Duration;

use async_trait::async_trait;
use koppel_core::ports::oauth::{AuthorizeRequest, ClientAuth, OAuthApp, OAuthClient, OAuthError, TokenSet};
use oauth2::basic::{BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, Client, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet,
    EndpointState, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, Scope, StandardRevocableToken,
    TokenUrl,
};
use secrecy::{ExposeSecret, SecretString};

use super::answer::{TokenAnswer, token_set};
use super::errors;
use super::http::Http;
use crate::http::{ClientOptions, client};

/// Whole-request limit of a token call.
pub const TOKEN_CALL_TIMEOUT: Duration = Duration::from_secs(15);

/// `oauth2`'s client with Koppel's token answer ([`TokenAnswer`]: the provider's own fields kept).
type AppClient<HasAuthUrl, HasTokenUrl> = Client<
    BasicErrorResponse,
    TokenAnswer,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    HasAuthUrl,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    HasTokenUrl,
>;

/// The OAuth client for every provider app; cheap to clone (the reqwest client is shared).
#[derive(Clone)]
pub struct OAuth2Client {
    http: reqwest::Client,
}

impl OAuth2Client {
    /// With Koppel's client settings (rustls, no redirects) and [`TOKEN_CALL_TIMEOUT`].
    pub fn new() -> Result<Self, reqwest::Error> {
        let options = ClientOptions { timeout: TOKEN_CALL_TIMEOUT, ..ClientOptions::default() };
        Ok(Self { http: client(&options)? })
    }

    /// With a client built elsewhere (tests).
    pub fn with_http(http: reqwest::Client) -> Self {
        Self { http }
    }
}

fn bad(what: &'static str) -> impl Fn(oauth2::url::ParseError) -> OAuthError {
    move |e| OAuthError::Config(format!("{what}: {e}"))
}

/// Client id and secret, redirect URL and client authentication; no endpoint yet.
fn base(app: &OAuthApp) -> Result<AppClient<EndpointNotSet, EndpointNotSet>, OAuthError> {
    let auth_type = match app.client_auth {
        ClientAuth::Basic => AuthType::BasicAuth,
        ClientAuth::RequestBody => AuthType::RequestBody,
    };
    Ok(AppClient::new(ClientId::new(app.client_id.clone()))
        .set_client_secret(ClientSecret::new(app.client_secret.expose_secret().to_string()))
        .set_redirect_uri(RedirectUrl::new(app.redirect_url.clone()).map_err(bad("redirect_url"))?)
        .set_auth_type(auth_type))
}

/// For a token call: `app.token_url`, which the use-case has filled in.
fn for_tokens<A: EndpointState>(
    client: AppClient<A, EndpointNotSet>,
    app: &OAuthApp,
) -> Result<AppClient<A, EndpointSet>, OAuthError> {
    Ok(client.set_token_uri(TokenUrl::new(app.token_url.clone()).map_err(bad("token_url"))?))
}

#[async_trait]
impl OAuthClient for OAuth2Client {
    fn authorize(&self, app: &OAuthApp, state: &str) -> Result<AuthorizeRequest, OAuthError> {
        let configured =
            base(app)?.set_auth_uri(AuthUrl::new(app.authorize_url.clone()).map_err(bad("authorize_url"))?);
        let state = state.to_string();
        let mut request = configured
            .authorize_url(move || CsrfToken::new(state))
            .add_scopes(app.scopes.iter().map(|s| Scope::new(s.clone())));
        for (name, value) in &app.authorize_params {
            request = request.add_extra_param(name.clone(), value.clone());
        }
        let mut pkce_verifier = None;
        if app.pkce {
            let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
            request = request.set_pkce_challenge(challenge);
            pkce_verifier = Some(SecretString::from(verifier.secret().clone()));
        }
        let (url, _state) = request.url();
        Ok(AuthorizeRequest { url: url.to_string(), pkce_verifier })
    }

    async fn exchange_code(
        &self,
        app: &OAuthApp,
        code: &SecretString,
        pkce_verifier: Option<&SecretString>,
    ) -> Result<TokenSet, OAuthError> {
        let configured = for_tokens(base(app)?, app)?;
        let mut request = configured.exchange_code(AuthorizationCode::new(code.expose_secret().to_string()));
        if let Some(v) = pkce_verifier {
            request = request.set_pkce_verifier(PkceCodeVerifier::new(v.expose_secret().to_string()));
        }
        request.request_async(&Http(&self.http)).await.map(token_set).map_err(errors::map)
    }

    async fn refresh(&self, app: &OAuthApp, refresh_token: &SecretString) -> Result<TokenSet, OAuthError> {
        let configured = for_tokens(base(app)?, app)?;
        let token = RefreshToken::new(refresh_token.expose_secret().to_string());
        let mut request = configured.exchange_refresh_token(&token);
        if app.refresh_redirect_uri {
            request = request.add_extra_param("redirect_uri", app.redirect_url.clone());
        }
        request.request_async(&Http(&self.http)).await.map(token_set).map_err(errors::map)
    }
}
