#pragma once
// GetRandomPassword's generator, from a CSPRNG (OpenSSL RAND_bytes), without modulo bias.
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetRandomPassword.html

#include <cstdint>
#include <string>

#include "protocol/aws_error.h"

namespace services::secretsmanager {

struct PasswordRules {
  int64_t length = 32;
  std::string exclude_characters;
  bool exclude_numbers = false;
  bool exclude_punctuation = false;
  bool exclude_uppercase = false;
  bool exclude_lowercase = false;
  bool include_space = false;
  // "If you don't include this switch, the password contains at least one of every character
  // type."
  bool require_each_included_type = true;
};

// The punctuation AWS draws from: ! " # $ % & ' ( ) * + , - . / : ; < = > ? @ [ \ ] ^ _ ` { | } ~
inline constexpr std::string_view kPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

// InvalidParameterException when no character is left, or when the length cannot hold one
// character of each required type.
protocol::Result<std::string> random_password(const PasswordRules& rules);

}  // namespace services::secretsmanager
